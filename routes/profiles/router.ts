import Router from '@koa/router';
import { findProfileUser } from '../../commands/profiles/findProfileUser';
import { followedAmong, followUser, unfollowUser } from '../../commands/profiles/follows';
import type { Services } from '../../server/services';
import { authenticate, requireViewer, viewerOf, type AuthState } from '../middleware/auth';
import { presentProfile } from '../presenters/profile';
import { muteUser, unmuteUser } from '../../commands/community/mutes';

export function profilesRouter(services: Services): Router<AuthState> {
  const router = new Router<AuthState>({ prefix: '/api/profiles' });
  router.use(authenticate(services));

  router.get('/:username', async (ctx) => {
    const user = await findProfileUser(ctx.params.username!);
    const following = await followedAmong(ctx.state.viewer?._id, [user._id]);
    ctx.body = { profile: presentProfile(user, following.has(user._id.toString())) };
  });

  router.post('/:username/follow', requireViewer, async (ctx) => {
    const user = await findProfileUser(ctx.params.username!);
    await followUser(viewerOf(ctx)._id, user._id);
    ctx.body = { profile: presentProfile(user, true) };
  });

  router.delete('/:username/follow', requireViewer, async (ctx) => {
    const user = await findProfileUser(ctx.params.username!);
    await unfollowUser(viewerOf(ctx)._id, user._id);
    ctx.body = { profile: presentProfile(user, false) };
  });

  router.post('/:username/mute', requireViewer, async (ctx) => {
    const user = await findProfileUser(ctx.params.username!);
    await muteUser(viewerOf(ctx)._id, user._id);
    ctx.body = { profile: { ...presentProfile(user, (await followedAmong(viewerOf(ctx)._id, [user._id])).size > 0), muted: true } };
  });

  router.delete('/:username/mute', requireViewer, async (ctx) => {
    const user = await findProfileUser(ctx.params.username!);
    await unmuteUser(viewerOf(ctx)._id, user._id);
    ctx.body = { profile: { ...presentProfile(user, (await followedAmong(viewerOf(ctx)._id, [user._id])).size > 0), muted: false } };
  });

  return router;
}
