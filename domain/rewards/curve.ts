/**
 * HF21 author reward curve, `convergent_linear` (steemd util/reward.cpp `evaluate_reward_curve`):
 *
 *   f(r) = ((r + s)² − s²) / (r + 4s) = r·(r + 2s) / (r + 4s)      (u128, floor)
 *
 * with s = content_constant (2·10¹²). f(r) ≈ r/2 for small r and → r − 2s for large r, so tiny votes
 * earn proportionally less than under a linear curve (anti-spam) while large ones converge to linear.
 * The result is a post's *claims*, which compete for the reward fund (see distributeBatchRewards).
 */
import { STEEM_CONTENT_CONSTANT_HF21 } from './constants';

export function authorCurve(rshares: bigint, contentConstant: bigint = STEEM_CONTENT_CONSTANT_HF21): bigint {
  // steemd only evaluates the curve on max(net_rshares, 0): non-positive posts have no claims.
  if (rshares <= 0n) return 0n;
  const twoS = 2n * contentConstant;
  return (rshares * (rshares + twoS)) / (rshares + twoS + twoS);
}
