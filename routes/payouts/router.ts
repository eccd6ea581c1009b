import Router from '@koa/router';
import { payoutStatus } from '../../commands/payouts/payoutStatus';
import { articlePayoutReceiptBySlug, commentPayoutReceiptBySlug, userPayoutsByName } from '../../commands/payouts/receiptsByName';
import { validate } from '../middleware/validate';
import { articleParams, commentParams, payoutsPageSchema, profileParams } from './schema';
import type { Services } from '../../server/services';
import { authenticate, requireRole, requireViewer, type AuthState } from '../middleware/auth';

/** Payout receipts (public: every amount is on chain anyway) and the operators' status view. */
export function payoutsRouter(services: Services): Router<AuthState> {
  const router = new Router<AuthState>({ prefix: '/api' });
  router.get('/articles/:slug/payout', validate({ params: articleParams }), async (ctx) => {
    ctx.body = { payout: await articlePayoutReceiptBySlug(ctx.state.input.params.slug) };
  });
  router.get('/articles/:slug/comments/:id/payout', validate({ params: commentParams }), async (ctx) => {
    const { slug, id } = ctx.state.input.params;
    ctx.body = { payout: await commentPayoutReceiptBySlug(slug, id, services.policy) };
  });
  router.get('/profiles/:username/payouts', validate({ params: profileParams, query: payoutsPageSchema }), async (ctx) => {
    const { params, query } = ctx.state.input;
    ctx.body = await userPayoutsByName(params.username, query);
  });
  router.get('/admin/payouts/status', authenticate(services), requireViewer, requireRole('admin'), async (ctx) => {
    ctx.body = { status: await payoutStatus(services.clock.now()) };
  });
  return router;
}
