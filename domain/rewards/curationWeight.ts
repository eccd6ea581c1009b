/**
 * HF21 curation weights (`convergent_square_root`, steemd util/reward.cpp; weights assigned in
 * steem_evaluator.cpp hf20_vote_evaluator):
 *
 *   g(R)  = R / approx_sqrt(R + 2s)
 *   raw_i = g(V_after) − g(V_before)     V = comment.vote_rshares, the sum of positive upvote rshares
 *   w_i   = floor(raw_i · min(t_i, 300) / 300)   reverse auction: t_i = seconds from creation to vote
 *
 * total_vote_weight grows by the *undiscounted* raw_i, and curators are paid w_i / total_vote_weight,
 * so the penalised part (raw_i − w_i) is never paid out: it stays in the reward fund (HF20+).
 */
import { approxSqrt } from './approxSqrt';
import { STEEM_CONTENT_CONSTANT_HF21, STEEM_REVERSE_AUCTION_WINDOW_SECONDS_HF21 } from './constants';

/** g(R): the convergent square-root curation curve. */
export function curationCurve(voteRshares: bigint, contentConstant: bigint = STEEM_CONTENT_CONSTANT_HF21): bigint {
  if (voteRshares <= 0n) return 0n;
  return voteRshares / approxSqrt(voteRshares + 2n * contentConstant);
}

export interface CurationWeightInput {
  /** comment.vote_rshares before this vote (sum of positive upvote rshares). */
  voteRsharesBefore: bigint;
  /** This vote's rshares (only positive votes earn curation). */
  rshares: bigint;
  /** Seconds from the post's creation to the vote. */
  secondsSinceCreated: number;
  contentConstant?: bigint;
  reverseAuctionSeconds?: number;
}

export interface CurationWeight {
  /** raw_i = g(V_after) − g(V_before): what total_vote_weight grows by. */
  raw: bigint;
  /** w_i after the early-vote penalty: the vote's share of the curation pot. */
  weight: bigint;
}

/** The curation weight of a new, eligible upvote. Non-positive rshares earn nothing. */
export function curationWeight(input: CurationWeightInput): CurationWeight {
  const s = input.contentConstant ?? STEEM_CONTENT_CONSTANT_HF21;
  const auction = input.reverseAuctionSeconds ?? STEEM_REVERSE_AUCTION_WINDOW_SECONDS_HF21;
  if (input.rshares <= 0n) return { raw: 0n, weight: 0n };
  const before = curationCurve(input.voteRsharesBefore, s);
  const after = curationCurve(input.voteRsharesBefore + input.rshares, s);
  // steemd: "old_weight > new_weight should never happen" — it then assigns 0.
  if (after <= before) return { raw: 0n, weight: 0n };
  const raw = after - before;
  return { raw, weight: applyReverseAuction(raw, input.secondsSinceCreated, auction) };
}

/** w = floor(raw · min(t, window) / window); a window of 0 means no penalty. */
export function applyReverseAuction(raw: bigint, secondsSinceCreated: number, reverseAuctionSeconds: number): bigint {
  if (reverseAuctionSeconds <= 0) return raw;
  const elapsed = Math.max(0, Math.min(secondsSinceCreated, reverseAuctionSeconds));
  return (raw * BigInt(elapsed)) / BigInt(reverseAuctionSeconds);
}
