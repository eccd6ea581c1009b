/**
 * The vote rules of docs/rewards.md, "Vote rules" (steemd steem_evaluator.cpp `hf20_vote_evaluator`) as one pure
 * decision: either a typed refusal naming the rule, or everything the caller must write — the voter's
 * new manabars, the vote's rshares and curation weight, the deltas to the post's counters and the
 * author's reputation delta. The caller applies the result atomically; nothing here does I/O.
 */
import { curationWeight } from '../rewards/curationWeight';
import type { RewardPolicy } from '../rewards/policy';
import { reputationDelta } from '../reputation/reputation';
import { regenerateVoterMana, spendVoteMana, type Manabar } from './mana';
import { voteRshares } from './rshares';

export const MAX_VOTE_WEIGHT = 10_000;

export type VoteRefusalCode =
  | 'VOTE_WEIGHT_INVALID'
  | 'VOTES_NOT_ALLOWED'
  | 'VOTE_AFTER_PAYOUT'
  | 'VOTE_WEIGHT_ZERO'
  | 'VOTE_CHANGES_EXHAUSTED'
  | 'VOTE_IDENTICAL'
  | 'VOTE_TOO_SOON'
  | 'INSUFFICIENT_MANA';

export interface VoteRefusal {
  ok: false;
  code: VoteRefusalCode;
  /** steemd's own wording where it has one, so the rule is recognisable. */
  message: string;
}

/** The voter's current vote on this post. */
export interface ExistingVote {
  /** Basis points, −10000…10000 (0 = removed). */
  weight: number;
  rshares: bigint;
  /** The vote's curation weight w_i (after the early-vote penalty; 0 once changed). */
  curationWeight: bigint;
  /** Changes made so far (steemd num_changes; a first vote has 0). */
  changes: number;
}

export interface VoterState {
  /** Effective vesting shares (EV, VESTS satoshis): the voting manabar's maximum. */
  effectiveVests: bigint;
  votingManabar: Manabar;
  downvoteManabar: Manabar;
  /** Unix seconds of the voter's last non-zero vote on any post, or null. */
  lastVoteTime: number | null;
  /** Raw reputation (0 / omitted if none). */
  reputation?: bigint;
}

export interface PostState {
  createdAt: number;
  /** Unix seconds of the single payout (cashout_time). */
  payoutAt: number;
  paid: boolean;
  allowVotes: boolean;
  allowCurationRewards: boolean;
  /** comment.vote_rshares: the sum of positive upvote rshares, the x-axis of curation weight. */
  voteRshares: bigint;
  /** The author's raw reputation (0 / omitted if none). */
  authorReputation?: bigint;
}

export interface VoteRequest {
  /** Requested weight in basis points, −10000…10000. */
  weight: number;
  /** Unix seconds. */
  now: number;
  voter: VoterState;
  post: PostState;
  existingVote: ExistingVote | null;
  /** The voter is the post's author (reputation then moves the voter's own rep too). */
  selfVote?: boolean;
  policy: RewardPolicy;
}

export interface AcceptedVote {
  ok: true;
  kind: 'new' | 'change' | 'removal';
  /** The vote as it must be stored. */
  vote: {
    weight: number;
    rshares: bigint;
    /** w_i: 0 for changed votes and ineligible votes. */
    curationWeight: bigint;
    changes: number;
    votedAt: number;
  };
  manaUsed: bigint;
  /** The voter's bars regenerated to `now` and charged. */
  votingManabar: Manabar;
  downvoteManabar: Manabar;
  /** Unchanged by a removal: the 3-second interval is between non-zero votes. */
  lastVoteTime: number | null;
  /** Undiscounted curation weight raw_i (what total_vote_weight grows by). */
  rawCurationWeight: bigint;
  /** Add these to the post's counters. */
  postDelta: {
    netRshares: bigint;
    absRshares: bigint;
    /** vote_rshares (positive upvote sum): grows with new upvotes only; steemd leaves it on changes. */
    voteRshares: bigint;
    /** +raw_i for a new eligible vote; −(old w_i) for a change (steemd subtracts the stored weight). */
    totalVoteWeight: bigint;
  };
  /** Add to the author's raw reputation. */
  reputationDelta: bigint;
}

export type VoteDecision = AcceptedVote | VoteRefusal;

const refuse = (code: VoteRefusalCode, message: string): VoteRefusal => ({ ok: false, code, message });

/**
 * Decides a vote. Refusals are checked cheapest first; steemd's order differs only in which message
 * wins when several rules are broken at once.
 */
export function decideVote(request: VoteRequest): VoteDecision {
  const { weight, now, voter, post, existingVote: existing, policy } = request;

  if (!Number.isInteger(weight) || weight < -MAX_VOTE_WEIGHT || weight > MAX_VOTE_WEIGHT) {
    return refuse('VOTE_WEIGHT_INVALID', `Vote weight must be an integer between -${MAX_VOTE_WEIGHT} and ${MAX_VOTE_WEIGHT}.`);
  }
  // allow_votes = false rejects only upvotes; downvotes and removals stay possible (docs/rewards.md, "Payout options").
  if (weight > 0 && !post.allowVotes) return refuse('VOTES_NOT_ALLOWED', 'Votes are not allowed on the comment.');
  // Steem records a vote on paid content without effect; Inkwell refuses it (one payout, no late votes).
  if (post.paid) return refuse('VOTE_AFTER_PAYOUT', 'Cannot vote again on a comment after payout.');
  if (now >= post.payoutAt) {
    return refuse('VOTE_AFTER_PAYOUT', 'Comment is actively being rewarded. Cannot vote on comment.');
  }
  if (!existing && weight === 0) return refuse('VOTE_WEIGHT_ZERO', 'Vote weight cannot be 0.');
  if (existing && existing.changes >= policy.maxVoteChanges) {
    return refuse('VOTE_CHANGES_EXHAUSTED', 'Voter has used the maximum number of vote changes on this comment.');
  }
  if (existing && existing.weight === weight) {
    return refuse('VOTE_IDENTICAL', 'Your current vote on this comment is identical to this vote.');
  }
  // STEEM_MIN_VOTE_INTERVAL_SEC, per voter across all posts; removing a vote is always allowed.
  if (weight !== 0 && voter.lastVoteTime !== null && now - voter.lastVoteTime < policy.minVoteIntervalSeconds) {
    return refuse('VOTE_TOO_SOON', `Can only vote once every ${policy.minVoteIntervalSeconds} seconds.`);
  }

  const bars = regenerateVoterMana(
    { voting: voter.votingManabar, downvote: voter.downvoteManabar },
    voter.effectiveVests,
    now,
    policy,
  );
  let votingManabar = bars.voting;
  let downvoteManabar = bars.downvote;
  let manaUsed = 0n;
  // A voter without stake (no linked Steem account and no base stake) votes with zero rshares: the vote
  // counts as an upvote or favorite, costs nothing and moves no payout, curation or reputation. steemd
  // would refuse such a downvote for want of mana (`voting + downvote > used` with both 0); Inkwell
  // records it like its upvote, since a stakeless vote of either sign changes nothing but the counters.
  if (weight !== 0 && voter.effectiveVests > 0n) {
    const spend = spendVoteMana({ weight, voting: votingManabar, downvote: downvoteManabar, policy });
    if (!spend.ok) return refuse(spend.code, spend.message);
    ({ used: manaUsed, voting: votingManabar, downvote: downvoteManabar } = spend);
  }

  const rshares = voteRshares({ manaUsed, weight, payoutAt: post.payoutAt, now, policy });
  const absRshares = rshares < 0n ? -rshares : rshares;

  // Only a first, positive vote on a post that allows curation earns weight (docs/rewards.md, "Curation weight"); a changed vote
  // gets weight 0 and its old weight leaves total_vote_weight, so changing a vote forfeits curation.
  const eligible = !existing && rshares > 0n && post.allowCurationRewards && policy.curationPercent > 0;
  const curation = eligible
    ? curationWeight({
        voteRsharesBefore: post.voteRshares,
        rshares,
        secondsSinceCreated: now - post.createdAt,
        contentConstant: policy.contentConstant,
        reverseAuctionSeconds: policy.reverseAuctionSeconds,
      })
    : { raw: 0n, weight: 0n };

  const repDelta = reputationDelta({
    voterReputation: voter.reputation ?? 0n,
    authorReputation: post.authorReputation ?? 0n,
    oldRshares: existing ? existing.rshares : null,
    newRshares: rshares,
    selfVote: request.selfVote,
  });

  return {
    ok: true,
    kind: !existing ? 'new' : weight === 0 ? 'removal' : 'change',
    vote: {
      weight,
      rshares,
      curationWeight: curation.weight,
      changes: existing ? existing.changes + 1 : 0,
      votedAt: now,
    },
    manaUsed,
    votingManabar,
    downvoteManabar,
    lastVoteTime: weight !== 0 ? now : voter.lastVoteTime,
    rawCurationWeight: curation.raw,
    postDelta: {
      netRshares: rshares - (existing?.rshares ?? 0n),
      absRshares,
      voteRshares: !existing && rshares > 0n ? rshares : 0n,
      totalVoteWeight: existing ? -existing.curationWeight : curation.raw,
    },
    reputationDelta: repDelta,
  };
}

/** Alias: the name the vote command uses. */
export const castVoteDecision = decideVote;
