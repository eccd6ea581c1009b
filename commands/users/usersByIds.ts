import type { Types } from 'mongoose';
import { UserModel, type User } from '../../models/user';
import { uniqueIds } from '../objectIds';

/** A user as lists name them: the username alone. */
export type UserName = Pick<User, 'username'> & { _id: Types.ObjectId };
/** A user as lists show them with a profile card (comments' authors). */
export type UserCard = Pick<User, 'username' | 'bio' | 'image' | 'steemAccount'> & { _id: Types.ObjectId };

const FIELDS = {
  username: { username: 1 },
  card: { username: 1, bio: 1, image: 1, steemAccount: 1 },
} as const;

/**
 * The users behind a list's ids (voters, editors, notification actors, rebloggers, comment authors)
 * in one query, by id string; absent ids (no actor) are skipped, and a deleted user is simply not in
 * the map (the presenter shows its placeholder).
 */
export async function usersByIds(ids: Iterable<Types.ObjectId | null | undefined>, fields: 'card'): Promise<Map<string, UserCard>>;
export async function usersByIds(ids: Iterable<Types.ObjectId | null | undefined>, fields?: 'username'): Promise<Map<string, UserName>>;
export async function usersByIds(ids: Iterable<Types.ObjectId | null | undefined>, fields: keyof typeof FIELDS = 'username'): Promise<Map<string, UserCard | UserName>> {
  const wanted = uniqueIds([...ids].filter((id): id is Types.ObjectId => id != null));
  if (wanted.length === 0) return new Map();
  const users = await UserModel.find({ _id: { $in: wanted } }, FIELDS[fields]).lean<UserCard[]>();
  return new Map(users.map((user) => [user._id.toString(), user]));
}

/** Usernames by id string, for lists that show only the name. */
export async function usernamesByIds(ids: Iterable<Types.ObjectId | null | undefined>): Promise<Map<string, string>> {
  const users = await usersByIds(ids);
  return new Map([...users].map(([id, user]) => [id, user.username]));
}
