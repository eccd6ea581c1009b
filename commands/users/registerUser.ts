import { UserModel, type UserDocument } from '../../models/user';
import { hashPassword } from '../../server/auth/passwords';
import { rethrowDuplicateAs } from '../duplicateKey';

export const USER_UNIQUE_FIELDS = { usernameKey: 'username', email: 'email' };

/** Creates an account; the unique indexes decide races between two registrations of one name. */
export async function registerUser(props: { username: string; email: string; password: string }): Promise<UserDocument> {
  const passwordHash = await hashPassword(props.password);
  try {
    return await UserModel.create({
      username: props.username,
      usernameKey: props.username.toLowerCase(),
      email: props.email,
      passwordHash,
    });
  } catch (error) {
    rethrowDuplicateAs(error, USER_UNIQUE_FIELDS);
  }
}
