/**
 * Steem's HF21 "convergent linear" author reward curve, in unsigned 128-bit integer semantics
 * with floor division (util/reward.cpp evaluate_reward_curve):
 *   f(r) = ((r + s)² − s²) / (r + 4s) = r(r + 2s) / (r + 4s)
 * f'(0) = ½, and f(r) approaches r − 2s for large r. Non-positive rshares claim nothing.
 */
export function authorCurve(rshares: bigint, contentConstant: bigint): bigint {
  if (rshares <= 0n) return 0n;
  const s = contentConstant;
  return (rshares * (rshares + 2n * s)) / (rshares + 4n * s);
}
