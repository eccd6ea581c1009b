import Router from '@koa/router';
import { badgesOf } from '../../commands/gamification/badges';
import { setFollow, setMute, viewProfile } from '../../commands/profiles/profileActions';
import type { Services } from '../../server/services';
import { authenticate, requireViewer, viewerOf, type AuthState } from '../middleware/auth';
import { validate } from '../middleware/validate';
import { presentBadge } from '../presenters/badge';
import { presentProfile } from '../presenters/profile';
import { profileParams } from './schema';
import { feedTag } from '../articles/readKeys';

export function profilesRouter(services: Services): Router<AuthState> {
  const router = new Router<AuthState>({ prefix: '/api/profiles' });
  router.use(authenticate(services));
  const byName = validate({ params: profileParams });

  router.get('/:username', byName, async (ctx) => {
    const { user, following, streaks } = await viewProfile(ctx.state.input.params.username, ctx.state.viewer?._id, services.clock.now());
    ctx.body = { profile: { ...presentProfile(user, following), streaks: { currentWeeks: streaks.current, longestWeeks: streaks.longest } } };
  });

  router.get('/:username/badges', byName, async (ctx) => {
    ctx.body = { badges: (await badgesOf(ctx.state.input.params.username)).map(presentBadge) };
  });

  for (const [method, follow] of [['post', true], ['delete', false]] as const) {
    router[method]('/:username/follow', requireViewer, byName, async (ctx) => {
      const { user, following } = await setFollow(viewerOf(ctx)._id, ctx.state.input.params.username, follow);
      services.readCache.invalidateTagged([feedTag(viewerOf(ctx)._id)]);
      services.readCache.readers.forget(viewerOf(ctx)._id.toString());
      ctx.body = { profile: presentProfile(user, following) };
    });
  }

  for (const [method, muted] of [['post', true], ['delete', false]] as const) {
    router[method]('/:username/mute', requireViewer, byName, async (ctx) => {
      const { user, following } = await setMute(viewerOf(ctx)._id, ctx.state.input.params.username, muted);
      services.readCache.invalidateTagged([feedTag(viewerOf(ctx)._id)]);
      services.readCache.readers.forget(viewerOf(ctx)._id.toString());
      ctx.body = { profile: { ...presentProfile(user, following), muted } };
    });
  }

  return router;
}
