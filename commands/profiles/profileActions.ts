import type { Types } from 'mongoose';
import type { Streaks } from '../../domain/gamification/streaks';
import { muteUser, unmuteUser } from '../community/mutes';
import { authorStreaks } from '../gamification/standing';
import type { Viewer } from '../users/viewer';
import { findProfileUser } from './findProfileUser';
import { followedAmong, followUser, unfollowUser } from './follows';

/** A profile's user and whether the viewer follows them. */
export interface ProfileView {
  user: Viewer;
  following: boolean;
}

/** The profile a URL names as the viewer sees it (anonymous: not following), with the user's weekly streaks. */
export async function viewProfile(username: string, viewer: Types.ObjectId | undefined, now: Date): Promise<ProfileView & { streaks: Streaks }> {
  const user = await findProfileUser(username);
  const [following, streaks] = await Promise.all([followedAmong(viewer, [user._id]), authorStreaks(user._id, now)]);
  return { user, following: following.has(user._id.toString()), streaks };
}

/** Follows (or with `follow: false` unfollows) the user a profile URL names. */
export async function setFollow(viewer: Types.ObjectId, username: string, follow: boolean): Promise<ProfileView> {
  const user = await findProfileUser(username);
  await (follow ? followUser(viewer, user._id) : unfollowUser(viewer, user._id));
  return { user, following: follow };
}

/** Mutes (or with `mute: false` unmutes) the user a profile URL names; muting leaves a follow as it is. */
export async function setMute(viewer: Types.ObjectId, username: string, mute: boolean): Promise<ProfileView> {
  const user = await findProfileUser(username);
  await (mute ? muteUser(viewer, user._id) : unmuteUser(viewer, user._id));
  return { user, following: (await followedAmong(viewer, [user._id])).size > 0 };
}
