/**
 * Rshares of a vote (docs/rewards.md, "Rshares of a vote"; steemd hf20_vote_evaluator):
 *   abs = max(0, used − 50 000 000)      HF20: the vote dust is subtracted from every vote
 *   if payoutAt − now < 43 200:  abs = floor(abs · (payoutAt − now) / 43 200)   12-hour lockout
 *   rshares = sign(weight) · abs
 * steemd scales the absolute value regardless of the vote's sign, so downvotes near payout shrink too.
 */
import type { RewardPolicy } from '../rewards/policy';

export function voteRshares(props: {
  manaUsed: bigint;
  weight: number;
  payoutAt: number;
  now: number;
  policy: Pick<RewardPolicy, 'voteDustRshares' | 'upvoteLockoutSeconds'>;
}): bigint {
  const { manaUsed, weight, policy } = props;
  let abs = manaUsed - policy.voteDustRshares;
  if (abs < 0n) abs = 0n;
  const secondsUntilPayout = Math.max(0, props.payoutAt - props.now);
  if (secondsUntilPayout < policy.upvoteLockoutSeconds) {
    abs = (abs * BigInt(secondsUntilPayout)) / BigInt(policy.upvoteLockoutSeconds);
  }
  return weight < 0 ? -abs : abs;
}
