import { UserModel, type UserDocument } from '../../models/user';
import { hashPassword } from '../../lib/auth/passwords';
import { rethrowDuplicateAs } from '../duplicateKey';

export const USER_UNIQUE_FIELDS = { usernameKey: 'username', email: 'email' };

/** Creates an account; the unique indexes decide races between two registrations of one name or email. */
export async function registerUser(props: { username: string; email: string; password: string }): Promise<UserDocument> {
  const passwordHash = await hashPassword(props.password);
  const usernameKey = props.username.toLowerCase();
  try {
    return await UserModel.create({ username: props.username, usernameKey, email: props.email, passwordHash });
  } catch (error) {
    // Every taken field at once (username and email), not only the index the error names.
    return rethrowDuplicateAs(error, UserModel, { names: USER_UNIQUE_FIELDS, values: { usernameKey, email: props.email } });
  }
}
