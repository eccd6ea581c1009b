import type { Types } from 'mongoose';
import { MuteModel } from '../../models/mute';
import { validationFailed } from '../../lib/errors';
import { isDuplicateKeyError } from '../duplicateKey';

/** How many users one user may mute: every read the muter makes leaves them out with one `$nin`. */
export const MAX_MUTES = 1000;

export async function muteUser(muter: Types.ObjectId, muted: Types.ObjectId): Promise<void> {
  if (muter.equals(muted)) throw validationFailed('you cannot mute yourself', 'profile');
  if ((await MuteModel.countDocuments({ muter }, { limit: MAX_MUTES })) >= MAX_MUTES && !(await MuteModel.exists({ muter, muted }))) {
    throw validationFailed(`you may mute at most ${MAX_MUTES} users`, 'profile');
  }
  try {
    await MuteModel.create({ muter, muted });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}

export async function unmuteUser(muter: Types.ObjectId, muted: Types.ObjectId): Promise<void> {
  await MuteModel.deleteOne({ muter, muted });
}

/** The users `viewer` has muted (empty for anonymous readers). */
export async function mutedBy(viewer: Types.ObjectId | undefined): Promise<Types.ObjectId[]> {
  if (!viewer) return [];
  const mutes = await MuteModel.find({ muter: viewer }, { muted: 1 }).limit(MAX_MUTES).lean();
  return mutes.map((mute) => mute.muted);
}
