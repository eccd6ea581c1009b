import { UserModel } from '../../models/user';
import { notFound, validationFailed } from '../../lib/errors';

/** Roles an operator can grant. `admin` opens `/api/admin/*`. */
export const ROLES = ['admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/**
 * Grants a role to the account named `username` (without regard to case). Operator-only: reached
 * through `npm run admin`, never through the HTTP API. Returns whether the account did not have it yet.
 */
export async function grantRole(username: string, role: Role): Promise<{ username: string; changed: boolean }> {
  return changeRole(username, role, 'grant');
}

/** Takes a role away; effective from the account's next request (roles are read with the user every request). */
export async function revokeRole(username: string, role: Role): Promise<{ username: string; changed: boolean }> {
  return changeRole(username, role, 'revoke');
}

/** The accounts holding a role, by username. */
export async function usersWithRole(role: Role): Promise<{ username: string; email: string }[]> {
  const users = await UserModel.find({ roles: role }, { username: 1, email: 1 }).sort({ usernameKey: 1 }).lean();
  return users.map((user) => ({ username: user.username, email: user.email }));
}

async function changeRole(username: string, role: Role, change: 'grant' | 'revoke'): Promise<{ username: string; changed: boolean }> {
  if (!isRole(role)) throw validationFailed(`must be one of ${ROLES.join(', ')}`, 'role');
  const usernameKey = username.trim().toLowerCase();
  const result =
    change === 'grant'
      ? await UserModel.updateOne({ usernameKey, roles: { $ne: role } }, { $addToSet: { roles: role } })
      : await UserModel.updateOne({ usernameKey, roles: role }, { $pull: { roles: role } });
  const user = await UserModel.findOne({ usernameKey }, { username: 1 }).lean();
  if (!user) throw notFound(`no account is named ${JSON.stringify(username)}`, 'username');
  return { username: user.username, changed: result.matchedCount > 0 };
}
