import Router from '@koa/router';
import { findArticleBySlug } from '../../commands/articles/findArticle';
import { payoutStatus } from '../../commands/payouts/payoutStatus';
import { articlePayoutReceipt, userPayouts } from '../../commands/payouts/receipts';
import { findProfileUser } from '../../commands/profiles/findProfileUser';
import { parseInput } from '../middleware/validate';
import { payoutsPageSchema } from './schema';
import type { Services } from '../../server/services';
import { authenticate, requireRole, requireViewer, type AuthState } from '../middleware/auth';

/** Payout receipts (public: every amount is on chain anyway) and the operators' status view. */
export function payoutsRouter(services: Services): Router<AuthState> {
  const router = new Router<AuthState>({ prefix: '/api' });
  router.get('/articles/:slug/payout', async (ctx) => {
    ctx.body = { payout: await articlePayoutReceipt(await findArticleBySlug(ctx.params.slug!)) };
  });
  router.get('/profiles/:username/payouts', async (ctx) => {
    const window = parseInput(payoutsPageSchema, ctx.query);
    const user = await findProfileUser(ctx.params.username!);
    ctx.body = await userPayouts(user._id, window);
  });
  router.get('/admin/payouts/status', authenticate(services), requireViewer, requireRole('admin'), async (ctx) => {
    ctx.body = { status: await payoutStatus(services.clock.now()) };
  });
  return router;
}
