import { UserModel, type UserDocument } from '../../models/user';
import { verifyPassword } from '../../server/auth/passwords';
import { unauthorized } from '../../server/errors';

/** Email + password login; one message for both failure causes, so emails cannot be probed. */
export async function authenticateUser(props: { email: string; password: string }): Promise<UserDocument> {
  const user = await UserModel.findOne({ email: props.email });
  if (!user || !(await verifyPassword(props.password, user.passwordHash))) {
    throw unauthorized('email or password is invalid', 'credentials');
  }
  return user;
}
