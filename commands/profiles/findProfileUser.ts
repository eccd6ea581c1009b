import { UserModel } from '../../models/user';
import { notFound } from '../../lib/errors';
import type { Viewer } from '../users/viewer';

/** The user behind a profile URL; usernames match without regard to case. */
export async function findProfileUser(username: string): Promise<Viewer> {
  const user = await UserModel.findOne({ usernameKey: username.toLowerCase() }).lean<Viewer>();
  if (!user) throw notFound(`profile ${username} not found`, 'profile');
  return user;
}
