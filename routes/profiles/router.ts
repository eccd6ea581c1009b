import Router from '@koa/router';
import { findProfileUser } from '../../commands/profiles/findProfileUser';
import { followedAmong, followUser, unfollowUser } from '../../commands/profiles/follows';
import type { Services } from '../../server/services';
import { authenticate, requireViewer, viewerOf, type AuthState } from '../middleware/auth';
import { presentProfile } from '../presenters/profile';
import { muteUser, unmuteUser } from '../../commands/community/mutes';
import { authorStreaks } from '../../commands/gamification/standing';
import { BadgeModel } from '../../models/badge';
import { badgeDefinition } from '../../domain/gamification/badges';

export function profilesRouter(services: Services): Router<AuthState> {
  const router = new Router<AuthState>({ prefix: '/api/profiles' });
  router.use(authenticate(services));

  router.get('/:username', async (ctx) => {
    const user = await findProfileUser(ctx.params.username!);
    const [following, streaks] = await Promise.all([followedAmong(ctx.state.viewer?._id, [user._id]), authorStreaks(user._id, services.clock.now())]);
    ctx.body = { profile: { ...presentProfile(user, following.has(user._id.toString())), streaks: { currentWeeks: streaks.current, longestWeeks: streaks.longest } } };
  });

  router.get('/:username/badges', async (ctx) => {
    const user = await findProfileUser(ctx.params.username!);
    const badges = await BadgeModel.find({ user: user._id }).sort({ awardedAt: 1, _id: 1 }).lean();
    ctx.body = {
      badges: badges.map((badge) => {
        const definition = badgeDefinition(badge.badge);
        return { name: badge.badge, title: definition.title, description: definition.description, reason: badge.reason, awardedAt: badge.awardedAt.toISOString() };
      }),
    };
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
