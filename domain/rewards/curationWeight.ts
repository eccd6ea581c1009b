import { approxSqrt } from './approxSqrt';

/** HF21 "convergent square root" curation curve: g(R) = R / approx_sqrt(R + 2s). */
export function curationCurve(voteRshares: bigint, contentConstant: bigint): bigint {
  if (voteRshares <= 0n) return 0n;
  return voteRshares / approxSqrt(voteRshares + 2n * contentConstant);
}

export interface CurationWeight {
  /** Added to the post's total_vote_weight: the undiscounted weight. */
  raw: bigint;
  /** The voter's share weight after the reverse-auction penalty (the rest is never paid). */
  weight: bigint;
}

/**
 * The curation weight a new upvote earns (§2.6): the growth of g over the post's vote_rshares,
 * discounted linearly for votes cast within the reverse-auction window after the post was made.
 */
export function curationWeightOfVote(props: {
  voteRsharesBefore: bigint;
  rshares: bigint;
  secondsSinceCreation: number;
  reverseAuctionSeconds: number;
  contentConstant: bigint;
}): CurationWeight {
  if (props.rshares <= 0n) return { raw: 0n, weight: 0n };
  const before = curationCurve(props.voteRsharesBefore, props.contentConstant);
  const after = curationCurve(props.voteRsharesBefore + props.rshares, props.contentConstant);
  const raw = after - before;
  if (props.reverseAuctionSeconds <= 0) return { raw, weight: raw };
  const elapsed = BigInt(Math.max(0, Math.min(Math.floor(props.secondsSinceCreation), props.reverseAuctionSeconds)));
  return { raw, weight: (raw * elapsed) / BigInt(props.reverseAuctionSeconds) };
}
