import { curationWeightOfVote } from '../rewards/curationWeight';
import type { RewardPolicy } from '../rewards/policy';
import { downvotePoolMax, manaCost, regenerate, type Manabar } from './mana';
import { voteRshares } from './rshares';

export type VoteRefusalCode =
  | 'VOTE_AFTER_PAYOUT'
  | 'VOTES_NOT_ALLOWED'
  | 'VOTE_WEIGHT_ZERO'
  | 'VOTE_IDENTICAL'
  | 'VOTE_CHANGES_EXHAUSTED'
  | 'VOTE_TOO_SOON'
  | 'INSUFFICIENT_MANA';

export interface ExistingVote {
  weight: number;
  rshares: bigint;
  /** Undiscounted curation weight the vote added to the post's total_vote_weight. */
  rawCurationWeight: bigint;
  changes: number;
}

export interface VoterState {
  stake: bigint;
  votingMana: Manabar;
  downvoteMana: Manabar;
  /** Unix seconds of the voter's last non-zero vote, on any article. */
  lastVoteTime: number | null;
}

export interface PostVoteState {
  createdAt: number;
  payoutAt: number;
  allowVotes: boolean;
  allowCurationRewards: boolean;
  /** Sum of the positive rshares of its votes (comment.vote_rshares). */
  voteRshares: bigint;
}

export interface AcceptedVote {
  ok: true;
  rshares: bigint;
  manaUsed: bigint;
  votingMana: Manabar;
  downvoteMana: Manabar;
  lastVoteTime: number | null;
  curation: { raw: bigint; weight: bigint };
  /** Changes to the post: net rshares, positive vote rshares, total curation weight. */
  netRsharesDelta: bigint;
  voteRsharesDelta: bigint;
  totalVoteWeightDelta: bigint;
  changes: number;
}

export type VoteDecision = AcceptedVote | { ok: false; code: VoteRefusalCode; message: string };

const refuse = (code: VoteRefusalCode, message: string): VoteDecision => ({ ok: false, code, message });

/**
 * Decides a vote by Steem's HF21 rules (§2.3–2.6): the refusals in steemd's order, then the mana
 * spent, the rshares, and what the vote changes on the post. Pure: the caller applies the result.
 */
export function decideVote(props: {
  weight: number;
  existing: ExistingVote | null;
  voter: VoterState;
  post: PostVoteState;
  now: number;
  policy: RewardPolicy;
}): VoteDecision {
  const { weight, existing, voter, post, now, policy } = props;
  if (!Number.isInteger(weight) || weight < -10000 || weight > 10000) throw new RangeError('vote weight must be an integer in -10000..10000');
  if (now >= post.payoutAt) return refuse('VOTE_AFTER_PAYOUT', 'Comment is actively being rewarded. Cannot vote on comment.');
  if (weight > 0 && !post.allowVotes) return refuse('VOTES_NOT_ALLOWED', 'Votes are not allowed on the comment.');
  if (!existing && weight === 0) return refuse('VOTE_WEIGHT_ZERO', 'Vote weight cannot be 0.');
  if (existing && existing.weight === weight) return refuse('VOTE_IDENTICAL', 'Your current vote on this comment is identical to this vote.');
  if (existing && existing.changes >= policy.maxVoteChanges) {
    return refuse('VOTE_CHANGES_EXHAUSTED', `Voter has used the maximum number of vote changes on this comment (${policy.maxVoteChanges}).`);
  }
  if (weight !== 0 && voter.lastVoteTime !== null && now - voter.lastVoteTime < policy.minVoteIntervalSeconds) {
    return refuse('VOTE_TOO_SOON', `Can only vote once every ${policy.minVoteIntervalSeconds} seconds.`);
  }

  const regen = policy.manaRegenerationSeconds;
  const downvoteMax = downvotePoolMax(voter.stake, policy.downvotePoolPercent);
  let votingMana = regenerate(voter.votingMana, voter.stake, now, regen);
  let downvoteMana = regenerate(voter.downvoteMana, downvoteMax, now, regen);
  const used =
    weight === 0
      ? 0n
      : manaCost({
          weight,
          votingMana: votingMana.current,
          downvoteMana: downvoteMana.current,
          downvotePoolPercent: policy.downvotePoolPercent,
          votePowerReserveRate: policy.votePowerReserveRate,
          regenerationSeconds: regen,
        });
  if (weight > 0) {
    if (votingMana.current < used || votingMana.current < 0n) return refuse('INSUFFICIENT_MANA', 'Account does not have enough mana to vote.');
    votingMana = { ...votingMana, current: votingMana.current - used };
  } else if (weight < 0) {
    if (votingMana.current + downvoteMana.current <= used) return refuse('INSUFFICIENT_MANA', 'Account does not have enough mana to downvote.');
    // HF21: downvotes draw on the downvote pool first, any rest on voting mana.
    const fromPool = used > downvoteMana.current ? downvoteMana.current : used;
    downvoteMana = { ...downvoteMana, current: downvoteMana.current - fromPool };
    votingMana = { ...votingMana, current: votingMana.current - (used - fromPool) };
  }

  const rshares = voteRshares({
    manaUsed: used,
    weight,
    voteDustThreshold: policy.voteDustThreshold,
    secondsUntilPayout: post.payoutAt - now,
    upvoteLockoutSeconds: policy.upvoteLockoutSeconds,
  });
  const oldRshares = existing?.rshares ?? 0n;
  const voteRsharesDelta = (rshares > 0n ? rshares : 0n) - (oldRshares > 0n ? oldRshares : 0n);
  // Only a first vote earns curation; a changed vote's weight leaves the total (§2.5).
  const curation =
    !existing && post.allowCurationRewards && policy.curationPercent > 0
      ? curationWeightOfVote({
          voteRsharesBefore: post.voteRshares,
          rshares,
          secondsSinceCreation: now - post.createdAt,
          reverseAuctionSeconds: policy.reverseAuctionSeconds,
          contentConstant: policy.contentConstant,
        })
      : { raw: 0n, weight: 0n };

  return {
    ok: true,
    rshares,
    manaUsed: used,
    votingMana,
    downvoteMana,
    lastVoteTime: weight !== 0 ? now : voter.lastVoteTime,
    curation,
    netRsharesDelta: rshares - oldRshares,
    voteRsharesDelta,
    totalVoteWeightDelta: curation.raw - (existing?.rawCurationWeight ?? 0n),
    changes: existing ? existing.changes + 1 : 0,
  };
}
