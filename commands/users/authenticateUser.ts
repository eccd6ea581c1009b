import { UserModel, type User, type UserDocument } from '../../models/user';
import { verifyPassword } from '../../lib/auth/passwords';
import { unauthorized } from '../../lib/errors';

/**
 * Email + password login; one message for both failure causes, so emails cannot be probed. An unknown
 * email costs the same as a known one: the password is checked against a dummy hash with the same
 * scrypt parameters (`verifyPassword` runs one scrypt either way). The hash is read for the check
 * only; the returned document does not carry it.
 */
export async function authenticateUser(props: { email: string; password: string }): Promise<UserDocument> {
  const found = await UserModel.findOne({ email: props.email }).select('+passwordHash').lean<User & { _id: unknown }>();
  const valid = await verifyPassword(props.password, found?.passwordHash);
  if (!found || !valid) throw unauthorized('email or password is invalid', 'credentials');
  const { passwordHash: _hash, ...user } = found;
  return UserModel.hydrate(user);
}
