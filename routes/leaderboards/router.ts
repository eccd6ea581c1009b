import Router from '@koa/router';
import { z } from 'zod';
import { risingLeaderboard, type LeaderboardEntry } from '../../commands/gamification/leaderboards';
import { notFound } from '../../server/errors';
import { parseInput } from '../../server/http/validate';
import type { Services } from '../../server/services';

const querySchema = z.object({ period: z.enum(['day', 'week', 'month']).default('week') });
const CACHE_MS = 60_000;

/**
 * `GET /api/leaderboards/:board?period=day|week|month`, computed by aggregation and cached per board
 * and period for a minute. `rising` ranks reputation gained; the payout boards come with the payout
 * ledger.
 */
export function leaderboardsRouter(services: Services): Router {
  const router = new Router({ prefix: '/api/leaderboards' });
  const cache = new Map<string, { at: number; entries: LeaderboardEntry[] }>();
  router.get('/:board', async (ctx) => {
    const { period } = parseInput(querySchema, ctx.query);
    if (ctx.params.board !== 'rising') throw notFound(`no leaderboard ${ctx.params.board}`, 'board');
    const now = services.clock.now();
    const key = `${ctx.params.board}:${period}`;
    const cached = cache.get(key);
    const entries = cached && now.getTime() - cached.at < CACHE_MS ? cached.entries : await risingLeaderboard(period, now);
    if (entries !== cached?.entries) cache.set(key, { at: now.getTime(), entries });
    ctx.body = { board: ctx.params.board, period, entries };
  });
  return router;
}
