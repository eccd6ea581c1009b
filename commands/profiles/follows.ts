import type { Types } from 'mongoose';
import { FollowModel } from '../../models/follow';
import { validationFailed } from '../../lib/errors';
import { isDuplicateKeyError } from '../duplicateKey';
import { notify } from '../notifications/notify';

/** How many users one user may follow: the feed reads the followed authors in one `$in`. */
export const MAX_FOLLOWING = 5000;

/** Following twice is a no-op (the unique index makes concurrent follows safe); at most `MAX_FOLLOWING` (422 beyond). */
export async function followUser(follower: Types.ObjectId, followee: Types.ObjectId): Promise<void> {
  if (follower.equals(followee)) throw validationFailed('you cannot follow yourself', 'profile');
  if ((await FollowModel.countDocuments({ follower }, { limit: MAX_FOLLOWING })) >= MAX_FOLLOWING && !(await FollowModel.exists({ follower, followee }))) {
    throw validationFailed(`you may follow at most ${MAX_FOLLOWING} users`, 'profile');
  }
  try {
    await FollowModel.create({ follower, followee });
  } catch (error) {
    if (isDuplicateKeyError(error)) return;
    throw error;
  }
  await notify({ recipient: followee, type: 'follow', actor: follower });
}

export async function unfollowUser(follower: Types.ObjectId, followee: Types.ObjectId): Promise<void> {
  await FollowModel.deleteOne({ follower, followee });
}

/** Which of `candidates` the viewer follows. */
export async function followedAmong(viewer: Types.ObjectId | undefined, candidates: Types.ObjectId[]): Promise<Set<string>> {
  if (!viewer) return new Set();
  const pairs = await followPairs([viewer], candidates);
  return new Set(candidates.filter((candidate) => pairs.has(`${viewer}:${candidate}`)).map((candidate) => candidate.toString()));
}

/** `follower:followee` for each of the followers who follows one of the candidates. */
export async function followPairs(followers: Types.ObjectId[], candidates: Types.ObjectId[]): Promise<Set<string>> {
  if (followers.length === 0 || candidates.length === 0) return new Set();
  const follows = await FollowModel.find({ follower: { $in: followers }, followee: { $in: candidates } }, { follower: 1, followee: 1 }).lean();
  return new Set(follows.map((f) => `${f.follower}:${f.followee}`));
}
