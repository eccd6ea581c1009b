import type { User } from '../../models/user';
import { reputationScore } from '../../domain/reputation';

/** RealWorld's Profile, as seen by a viewer (`following`), with the linked account and reputation. */
export function presentProfile(user: Pick<User, 'username' | 'bio' | 'image' | 'steemAccount'> & { reputation?: string | null }, following: boolean) {
  const reputation = user.reputation ?? '0';
  return {
    username: user.username,
    bio: user.bio ?? '',
    image: user.image ?? '',
    following,
    steemAccount: user.steemAccount ?? null,
    reputation,
    reputationScore: reputationScore(BigInt(reputation)),
  };
}

export type ProfileJson = ReturnType<typeof presentProfile>;
