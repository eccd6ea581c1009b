import Router from '@koa/router';
import { BOARDS, leaderboard, type Board, type LeaderboardEntry } from '../../commands/gamification/leaderboards';
import { notFound } from '../../lib/errors';
import { validate } from '../middleware/validate';
import { leaderboardParams, leaderboardQuerySchema } from './schema';
import type { Services } from '../../server/services';

const CACHE_MS = 60_000;

/**
 * `GET /api/leaderboards/:board?period=day|week|month`: `authors` (paid as authors), `curators`
 * (paid as curators), `rising` (reputation gained). Computed by aggregation and cached per board and
 * period for a minute.
 */
export function leaderboardsRouter(services: Services): Router {
  const router = new Router({ prefix: '/api/leaderboards' });
  const cache = new Map<string, { at: number; entries: LeaderboardEntry[] }>();
  router.get('/:board', validate({ params: leaderboardParams, query: leaderboardQuerySchema }), async (ctx) => {
    const { params, query: { period } } = ctx.state.input;
    const board = params.board as Board;
    if (!BOARDS.includes(board)) throw notFound(`no leaderboard ${params.board}; boards are ${BOARDS.join(', ')}`, 'board');
    const now = services.clock.now();
    const key = `${board}:${period}`;
    const cached = cache.get(key);
    const entries = cached && now.getTime() - cached.at < CACHE_MS ? cached.entries : await leaderboard(board, period, now);
    if (entries !== cached?.entries) cache.set(key, { at: now.getTime(), entries });
    ctx.body = { board, period, entries };
  });
  return router;
}
