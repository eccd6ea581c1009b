import { Types } from 'mongoose';
import { UserModel, type UserDocument } from '../../models/user';
import { hashPassword } from '../../lib/auth/passwords';
import { notFound } from '../../lib/errors';
import { rethrowDuplicateAs } from '../duplicateKey';
import { USER_UNIQUE_FIELDS } from './registerUser';

export interface UserChanges {
  email?: string;
  username?: string;
  password?: string;
  bio?: string;
  image?: string;
}

/**
 * Applies the given fields in one atomic update; a taken username or email changes nothing. A new
 * password also moves the user's session epoch on (in the same update), which ends every token issued
 * before it, in every process; the caller issues a token in the new epoch from the returned user.
 */
export async function updateUser(userId: Types.ObjectId, changes: UserChanges): Promise<UserDocument> {
  const set: Record<string, unknown> = {};
  const inc: Record<string, number> = {};
  if (changes.email !== undefined) set.email = changes.email;
  if (changes.username !== undefined) {
    set.username = changes.username;
    set.usernameKey = changes.username.toLowerCase();
  }
  if (changes.password !== undefined) {
    set.passwordHash = await hashPassword(changes.password);
    set.revokedSessions = [];
    inc.sessionEpoch = 1;
  }
  if (changes.bio !== undefined) set.bio = changes.bio;
  if (changes.image !== undefined) set.image = changes.image;
  try {
    const user = await UserModel.findByIdAndUpdate(userId, { $set: set, ...(changes.password !== undefined ? { $inc: inc } : {}) }, { returnDocument: 'after' });
    if (!user) throw notFound('user no longer exists', 'user');
    return user;
  } catch (error) {
    return rethrowDuplicateAs(error, UserModel, { names: USER_UNIQUE_FIELDS, values: set, exceptId: userId });
  }
}
