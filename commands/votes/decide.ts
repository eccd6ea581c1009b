import { randomUUID } from 'node:crypto';
import { decideVote, downvoteManaMax, type AcceptedVote } from '../../domain/votes';
import { AppError } from '../../lib/errors';
import { payoutTimeOf } from './payoutTime';
import type { PostState, StoredVote, UserState } from './reads';
import type { FavoriteUnchanged, VoteRequest } from './voteRequest';
import { unix, type PendingVote } from './voteOp';
import { stakeOf, storedManabar } from './voterMana';

/**
 * A request decided: the pending operation to charge, and what else moves on the voter with it
 * (mana and the last vote time; nothing for a favorite recorded without a vote).
 */
export interface Decided {
  op: PendingVote;
  voterFields: Record<string, unknown>;
}

type FavoriteFlags = Required<Pick<PendingVote, 'favorite' | 'oldFavorite' | 'favoriteRefusal'>>;

const NO_FAVORITE: FavoriteFlags = { favorite: false, oldFavorite: false, favoriteRefusal: null };

/** The voter's favorite as the record stands (a record from before favorites were kept apart: an upvote). */
const favoriteOf = (existing: StoredVote | undefined) => (existing ? (existing.favorite ?? existing.weight > 0) : false);

/** A record with weight 0 and no changes holds a favorite that never was a vote: for the rules, no vote. */
const votedRecord = (existing: StoredVote | undefined) => (existing && !(existing.weight === 0 && existing.changes === 0) ? existing : undefined);

/**
 * Decides one request by Steem's vote rules, against the voter, post and vote record as the batch
 * read them. A favorite request is never refused by a vote rule: when the rules refuse its upvote (or
 * its unfavorite's removal), the favorite is recorded without a vote, naming the rule.
 */
export function decide(request: VoteRequest, voter: UserState, post: PostState, existing: StoredVote | undefined): Decided | FavoriteUnchanged | AppError {
  if (request.favorite === undefined) {
    const decision = decideWeight(request, request.weight, voter, post, votedRecord(existing));
    if (!decision.ok) return new AppError('validation', { vote: [`${decision.message} (${decision.code})`] }, decision.code);
    // Favorites are RealWorld's, on articles only: a comment vote is never one.
    const flags = request.comment ? NO_FAVORITE : { favorite: decision.vote.weight > 0, oldFavorite: favoriteOf(existing), favoriteRefusal: null };
    return accepted(request, decision, post, votedRecord(existing), flags);
  }
  const wanted = request.favorite;
  const was = favoriteOf(existing);
  if (wanted === was) return { unchanged: true, favorite: wanted };
  const weight = existing?.weight ?? 0;
  const flags = { favorite: wanted, oldFavorite: was };
  // A favorite over an upvote already there, or an unfavorite over no upvote: the vote stays as it is.
  if (wanted ? weight > 0 : weight <= 0) return favoriteOnly(request, post, existing, { ...flags, favoriteRefusal: null });
  const decision = decideWeight(request, wanted ? 10000 : 0, voter, post, votedRecord(existing));
  if (!decision.ok) return favoriteOnly(request, post, existing, { ...flags, favoriteRefusal: decision.code });
  return accepted(request, decision, post, votedRecord(existing), { ...flags, favoriteRefusal: null });
}

function decideWeight(request: VoteRequest, weight: number, voter: UserState, post: PostState, existing: StoredVote | undefined) {
  const { policy } = request;
  const now = unix(request.now);
  const stake = stakeOf(voter, policy);
  return decideVote({
    weight,
    now,
    policy,
    voter: {
      effectiveVests: stake,
      votingManabar: storedManabar(voter.votingMana, stake, now),
      downvoteManabar: storedManabar(voter.downvoteMana, downvoteManaMax(stake, policy.downvotePoolPercent), now),
      lastVoteTime: voter.lastVoteTime ?? null,
      reputation: BigInt(voter.reputation ?? '0'),
    },
    post: {
      createdAt: unix(post.createdAt),
      payoutAt: unix(payoutTimeOf(post, policy)),
      paid: post.paid ?? false,
      allowVotes: ('allowVotes' in post ? post.allowVotes : null) ?? true,
      allowCurationRewards: post.allowCurationRewards ?? true,
      voteRshares: BigInt(post.voteRshares),
    },
    existingVote: existing
      ? { weight: existing.weight, rshares: BigInt(existing.rshares), curationWeight: BigInt(existing.curationWeight), changes: existing.changes }
      : null,
    selfVote: post.author.equals(request.voter),
  });
}

/** The operation every request records, whatever it moves. */
function operation(request: VoteRequest, post: PostState, existing: StoredVote | undefined) {
  return {
    id: randomUUID(),
    article: post._id.toString(),
    ...(request.comment ? { comment: { id: request.comment.id, article: request.comment.article.toString() } } : {}),
    voter: request.voter.toString(),
    author: post.author.toString(),
    oldRshares: existing ? existing.rshares : null,
    oldWeight: existing?.weight ?? 0,
    secondsSinceCreated: unix(request.now) - unix(post.createdAt),
  };
}

function accepted(request: VoteRequest, decision: AcceptedVote, post: PostState, existing: StoredVote | undefined, flags: FavoriteFlags): Decided {
  const op: PendingVote = {
    ...operation(request, post, existing),
    kind: decision.kind,
    weight: decision.vote.weight,
    rshares: decision.vote.rshares.toString(),
    changes: decision.vote.changes,
    votedAt: decision.vote.votedAt,
    oldCurationWeight: existing?.curationWeight ?? '0',
    eligibleForCuration: decision.kind === 'new' && decision.vote.curationWeight > 0n,
    ...flags,
  };
  const voterFields = {
    votingMana: { current: decision.votingManabar.currentMana.toString(), lastUpdate: decision.votingManabar.lastUpdateTime },
    downvoteMana: { current: decision.downvoteManabar.currentMana.toString(), lastUpdate: decision.downvoteManabar.lastUpdateTime },
    lastVoteTime: decision.lastVoteTime,
  };
  return { op, voterFields };
}

/**
 * A favorite (or unfavorite) recorded without a vote: it goes through the voter's guarded charge
 * (no mana, the last vote time unchanged) and lands like a vote, so concurrent requests are ordered
 * and favoritesCount moves exactly once; the vote itself (weight, rshares, changes) stays as it is.
 */
function favoriteOnly(request: VoteRequest, post: PostState, existing: StoredVote | undefined, flags: FavoriteFlags): Decided {
  const op: PendingVote = {
    ...operation(request, post, existing),
    kind: 'favorite',
    weight: existing?.weight ?? 0,
    rshares: existing?.rshares ?? '0',
    changes: existing?.changes ?? 0,
    votedAt: unix(request.now),
    oldCurationWeight: '0',
    eligibleForCuration: false,
    ...flags,
  };
  return { op, voterFields: {} };
}
