import type { User } from '../../models/user';

/** RealWorld's User (plus the linked Steem account, an extension). */
export function presentUser(user: Pick<User, 'email' | 'username' | 'bio' | 'image' | 'steemAccount'>, token: string) {
  return {
    email: user.email,
    token,
    username: user.username,
    bio: user.bio ?? '',
    image: user.image ?? '',
    steemAccount: user.steemAccount ?? null,
  };
}
