import type { RewardPolicy } from '../../domain/rewards';

/**
 * A post item's payout moment (Steem's cashout_time): stored on articles and on comments made since
 * comments earn; a comment stored before has none, and pays out a window after it was made.
 */
export function payoutTimeOf(post: { createdAt: Date; payoutAt?: Date | null }, policy: Pick<RewardPolicy, 'payoutWindowSeconds'>): Date {
  return post.payoutAt ?? new Date(post.createdAt.getTime() + policy.payoutWindowSeconds * 1000);
}
