import type { Types } from 'mongoose';
import { FollowModel } from '../../models/follow';
import { validationFailed } from '../../server/errors';
import { isDuplicateKeyError } from '../duplicateKey';
import { notify } from '../notifications/notify';

/** Following twice is a no-op (the unique index makes concurrent follows safe). */
export async function followUser(follower: Types.ObjectId, followee: Types.ObjectId): Promise<void> {
  if (follower.equals(followee)) throw validationFailed('you cannot follow yourself', 'profile');
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
  if (!viewer || candidates.length === 0) return new Set();
  const follows = await FollowModel.find({ follower: viewer, followee: { $in: candidates } }, { followee: 1 }).lean();
  return new Set(follows.map((f) => f.followee.toString()));
}
