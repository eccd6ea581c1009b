import Router from '@koa/router';
import { issueLinkChallenge, linkSteemAccount, unlinkSteemAccount } from '../../commands/steem/accountLinks';
import { unavailable } from '../../lib/errors';
import { validate } from '../middleware/validate';
import { linkSchema } from './schema';
import type { Services } from '../../server/services';
import { authenticate, requireViewer, viewerOf, type AuthState } from '../middleware/auth';

/** Linking a Steem account: the payout address and the stake source of an Inkwell user. */
export function steemRouter(services: Services): Router<AuthState> {
  const router = new Router<AuthState>({ prefix: '/api/user/steem' });
  router.use(authenticate(services), requireViewer);
  const chain = () => services.chain ?? (() => { throw unavailable('the Steem chain is not configured', 'chain'); })();

  router.post('/challenge', async (ctx) => {
    const viewer = viewerOf(ctx);
    const { challenge, expiresAt } = await issueLinkChallenge(viewer._id, viewer.username, services.clock.now());
    ctx.body = { challenge, expiresAt: expiresAt.toISOString() };
  });

  router.post('/link', validate({ body: linkSchema }), async (ctx) => {
    const { body } = ctx.state.input;
    const linked = await linkSteemAccount({
      user: viewerOf(ctx)._id,
      account: body.account,
      challenge: body.challenge,
      signatures: body.signatures ?? [body.signature!],
      chain: chain(),
      now: services.clock.now(),
      relinkCooldownSeconds: services.config.steemLinks.relinkCooldownSeconds,
    });
    services.readCache.invalidate();
    ctx.body = { steemAccount: linked.account, stakeVests: linked.stakeVests.toString() };
  });

  router.delete('/', async (ctx) => {
    await unlinkSteemAccount(viewerOf(ctx)._id, services.clock.now());
    services.readCache.invalidate();
    ctx.status = 204;
  });

  return router;
}
