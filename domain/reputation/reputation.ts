/**
 * Steem reputation (§3; reputation_plugin.cpp): raw reputation moves by rshares >> 6 (arithmetic
 * shift, rounding toward −∞) of votes on unpaid content. Voters with negative reputation have no
 * effect; a downvote counts only from a voter whose reputation exceeds the author's.
 */
export function reputationDelta(props: { voterReputation: bigint; authorReputation: bigint; oldRshares: bigint; newRshares: bigint }): bigint {
  if (props.voterReputation < 0n) return 0n;
  const counts = (rshares: bigint) => rshares >= 0n || props.voterReputation > props.authorReputation;
  let delta = 0n;
  if (props.oldRshares !== 0n && counts(props.oldRshares)) delta -= props.oldRshares >> 6n;
  if (props.newRshares !== 0n && counts(props.newRshares)) delta += props.newRshares >> 6n;
  return delta;
}

/**
 * The display score (§3.2, hivemind's rep_log10 rounded to 2 decimals): 25 + 9·sign·max(L − 9, 0)
 * with L ≈ log10|raw| from the digit count and the first four digits. A display value, so a float.
 */
export function reputationScore(raw: bigint): number {
  if (raw === 0n) return 25;
  const digits = (raw < 0n ? -raw : raw).toString();
  const leading = Number(digits.slice(0, 4));
  const log = digits.length - 1 + ((Math.log10(leading) + 1e-8) % 1);
  const score = 25 + 9 * (raw < 0n ? -1 : 1) * Math.max(log - 9, 0);
  return Math.round(score * 100) / 100;
}
