/**
 * Steem reputation (docs/rewards.md, "Reputation"; steemd libraries/plugins/reputation/reputation_plugin.cpp).
 *
 * Raw reputation is an int64 per account (no record = 0). A vote on unpaid content moves the author's
 * raw reputation in two steps, each guarded by the same two rules:
 *   pre-op:  if the voter had a vote with rshares r_old: author_rep −= r_old >> 6
 *   post-op: author_rep += r_new >> 6
 *   Rule 1: a voter with negative reputation has no effect.
 *   Rule 2: negative rshares count only if voter_rep > author_rep (author_rep as it is at that step).
 * `>> 6` is an arithmetic shift: bigint's `>>` floors toward −∞ exactly like int64 `>>` in steemd.
 */

export interface ReputationDeltaInput {
  /** The voter's raw reputation (0 if none). */
  voterReputation: bigint;
  /** The author's raw reputation before this vote (0 if none). */
  authorReputation: bigint;
  /** The voter's previous rshares on this post, or null for a first vote. */
  oldRshares: bigint | null;
  /** The vote's final rshares (after dust and 12-hour scaling). */
  newRshares: bigint;
  /** Voter and author are the same account (then the voter's reputation moves with the author's). */
  selfVote?: boolean;
}

function stepCounts(rshares: bigint, voterRep: bigint, authorRep: bigint): boolean {
  if (voterRep < 0n) return false; // Rule 1
  if (rshares < 0n && !(voterRep > authorRep)) return false; // Rule 2
  return true;
}

/** How much the author's raw reputation changes because of this vote. */
export function reputationDelta(input: ReputationDeltaInput): bigint {
  let author = input.authorReputation;
  const voterRep = () => (input.selfVote ? author : input.voterReputation);
  if (input.oldRshares !== null && stepCounts(input.oldRshares, voterRep(), author)) {
    author -= input.oldRshares >> 6n;
  }
  if (stepCounts(input.newRshares, voterRep(), author)) {
    author += input.newRshares >> 6n;
  }
  return author - input.authorReputation;
}

/**
 * The display score (docs/rewards.md, "Reputation"), hivemind's `rep_log10` rounded to 2 decimals:
 *   L = (digits − 1) + frac(log10(first 4 digits) + 1e−8);  score = 25 + 9·sign·max(L − 9, 0)
 * A display value, so a JS number is fine; |raw| < 10⁹ and raw = 0 show 25.
 */
export function reputationScore(raw: bigint): number {
  if (raw === 0n) return 25;
  const digits = (raw < 0n ? -raw : raw).toString();
  const leadingLog = Math.log10(Number(digits.slice(0, 4))) + 1e-8;
  const magnitude = digits.length - 1 + (leadingLog - Math.trunc(leadingLog));
  const score = 25 + 9 * (raw < 0n ? -1 : 1) * Math.max(magnitude - 9, 0);
  return Math.round(score * 100) / 100;
}
