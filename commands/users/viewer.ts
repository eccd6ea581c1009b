import type { Types } from 'mongoose';
import { UserModel, type User } from '../../models/user';
import { coalescingLoader } from '../../lib/coalesce';

/** The signed-in user a request acts for: the user record without its password hash and reputation log. */
export type Viewer = Omit<User, 'reputationOps' | 'passwordHash'> & { _id: Types.ObjectId };

/**
 * Authenticated users looked up together; the ids of the votes counted in their reputation and the
 * password hash stay out.
 */
const viewers = coalescingLoader<string, Viewer>(async (ids) => {
  const users = await UserModel.find({ _id: { $in: [...new Set(ids)] } }, { reputationOps: 0, passwordHash: 0 }).lean<Viewer[]>();
  return new Map(users.map((user) => [user._id.toString(), user]));
});

/** The user a session token names (undefined when there is none now); concurrent requests share one query. */
export async function loadViewer(userId: string): Promise<Viewer | undefined> {
  return viewers.load(userId);
}
