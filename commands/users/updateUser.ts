import { Types } from 'mongoose';
import { UserModel, type UserDocument } from '../../models/user';
import { hashPassword } from '../../server/auth/passwords';
import { notFound } from '../../server/errors';
import { rethrowDuplicateAs } from '../duplicateKey';
import { USER_UNIQUE_FIELDS } from './registerUser';

export interface UserChanges {
  email?: string;
  username?: string;
  password?: string;
  bio?: string;
  image?: string;
}

/** Applies the given fields in one atomic update; a taken username or email changes nothing. */
export async function updateUser(userId: Types.ObjectId, changes: UserChanges): Promise<UserDocument> {
  const set: Record<string, unknown> = {};
  if (changes.email !== undefined) set.email = changes.email;
  if (changes.username !== undefined) {
    set.username = changes.username;
    set.usernameKey = changes.username.toLowerCase();
  }
  if (changes.password !== undefined) set.passwordHash = await hashPassword(changes.password);
  if (changes.bio !== undefined) set.bio = changes.bio;
  if (changes.image !== undefined) set.image = changes.image;
  try {
    const user = await UserModel.findByIdAndUpdate(userId, { $set: set }, { returnDocument: 'after' });
    if (!user) throw notFound('user no longer exists', 'user');
    return user;
  } catch (error) {
    rethrowDuplicateAs(error, USER_UNIQUE_FIELDS);
  }
}
