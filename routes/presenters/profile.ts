import type { User } from '../../models/user';

/** RealWorld's Profile, as seen by a viewer (`following`). */
export function presentProfile(user: Pick<User, 'username' | 'bio' | 'image' | 'steemAccount'>, following: boolean) {
  return {
    username: user.username,
    bio: user.bio ?? '',
    image: user.image ?? '',
    following,
    steemAccount: user.steemAccount ?? null,
  };
}

export type ProfileJson = ReturnType<typeof presentProfile>;
