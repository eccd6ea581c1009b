import { Types } from 'mongoose';
import { DEFAULT_REWARD_POLICY as policy } from '../../domain/rewards/policy';
import { hotScore, trendingScore } from '../../domain/ranking';
import { APPLIED_OPS_KEPT, landingVote, type PendingVote } from '../../commands/votes/voteOp';
import {
  authorReputationWrite,
  closedForVotes,
  closedPostWrite,
  deliveredVoteNotifications,
  postTallyWrite,
  reputationAfter,
  reputationChangeWrite,
  tallyOn,
  voteEvent,
  voteNotification,
  voteRecordWrite,
  type TallyPost,
} from '../../commands/votes/voteWrites';

const FULL = 19_950_000_000n;
const [postId, authorId, voterId, otherId] = [new Types.ObjectId(), new Types.ObjectId(), new Types.ObjectId(), new Types.ObjectId()];
const createdAt = new Date('2026-01-01T00:00:00Z');

const post = (fields: Partial<TallyPost> = {}): TallyPost => ({
  _id: postId, createdAt, netRshares: '0', absRshares: '0', voteRshares: '0', totalVoteWeight: '0', voteSeq: 7, ...fields,
});

const op = (fields: Partial<PendingVote> = {}): PendingVote => ({
  id: 'op-1', article: postId.toString(), voter: voterId.toString(), author: authorId.toString(), kind: 'new', weight: 10000, rshares: FULL.toString(), changes: 0,
  votedAt: 1_767_225_600, oldRshares: null, oldWeight: 0, oldCurationWeight: '0', eligibleForCuration: true, secondsSinceCreated: 600, ...fields,
});

describe('the post write of a tally', () => {
  it('sets the counters and ranking scores the tally left, guarded by the post’s voteSeq, and records the votes as applied', () => {
    const tally = tallyOn(post(), [op()], policy);
    const { filter, update } = postTallyWrite(post(), tally);
    const created = Math.floor(createdAt.getTime() / 1000);
    expect(filter).toEqual({ _id: postId, voteSeq: 7 });
    expect(update.$set).toEqual({
      netRshares: FULL.toString(), absRshares: FULL.toString(), voteRshares: FULL.toString(), totalVoteWeight: tally.counters.totalVoteWeight.toString(),
      trendingScore: trendingScore(FULL, created), hotScore: hotScore(FULL, created), rankRshares: Number(FULL),
    });
    expect(update.$inc).toEqual({ voteSeq: 1, favoritesCount: 1, upvotes: 1, downvotes: 0 });
    expect(update.$push.appliedVoteOps).toEqual({ $each: [{ id: 'op-1', curationWeight: tally.curation[0]!.weight.toString(), raw: tally.curation[0]!.raw.toString() }], $slice: -APPLIED_OPS_KEPT });
    expect(tally.curation[0]!.weight).toBeGreaterThan(0n);
  });

  it('tallies from the post’s stored counters and its curation setting', () => {
    const stored = post({ netRshares: FULL.toString(), absRshares: FULL.toString(), voteRshares: FULL.toString(), allowCurationRewards: false });
    const tally = tallyOn(stored, [op()], policy);
    expect(tally.counters.netRshares).toBe(2n * FULL);
    expect(tally.curation[0]!.weight).toBe(0n);
  });
});

describe('a post closed for votes', () => {
  it('is one a settlement claimed or paid', () => {
    expect(closedForVotes(post())).toBe(false);
    expect(closedForVotes(post({ settlingBatch: 'batch-1' }))).toBe(true);
    expect(closedForVotes(post({ paid: true }))).toBe(true);
  });

  it('moves only favoritesCount, and records the operations as applied with no curation', () => {
    const ops = [op({ id: 'a' }), op({ id: 'b', kind: 'favorite', weight: 0, rshares: '0', favorite: true, oldFavorite: false }), op({ id: 'c', kind: 'removal', weight: 0, rshares: '0', oldWeight: 10000 })];
    const { filter, update } = closedPostWrite(post({ settlingBatch: 'batch-1' }), ops);
    expect(filter).toEqual({ _id: postId, voteSeq: 7 });
    expect(update).toEqual({
      $inc: { voteSeq: 1, favoritesCount: 1 },
      $push: { appliedVoteOps: { $each: ['a', 'b', 'c'].map((id) => ({ id, curationWeight: '0', raw: '0' })), $slice: -APPLIED_OPS_KEPT } },
    });
  });
});

describe('the vote record upsert', () => {
  it('writes a vote’s weight, rshares, changes and curation weight unless the record already carries the operation', () => {
    const { filter, update } = voteRecordWrite(op({ weight: 5000, rshares: '123', changes: 2 }), 42n);
    expect(filter).toEqual({ article: postId, voter: voterId, lastOp: { $ne: 'op-1' } });
    expect(update).toEqual({ $set: { weight: 5000, rshares: '123', changes: 2, curationWeight: '42', favorite: true, favoriteRefusal: null, lastOp: 'op-1' } });
  });

  it('leaves the vote as it is for a favorite recorded without a vote (a new record holds no vote)', () => {
    const { update } = voteRecordWrite(op({ kind: 'favorite', weight: 0, rshares: '0', favorite: true, favoriteRefusal: 'VOTE_TOO_SOON' }), 99n);
    expect(update).toEqual({
      $set: { favorite: true, favoriteRefusal: 'VOTE_TOO_SOON', lastOp: 'op-1' },
      $setOnInsert: { weight: 0, rshares: '0', changes: 0, curationWeight: '0' },
    });
  });
});

describe('reputation', () => {
  it('runs the author’s reputation through the votes in order, each delta from the reputation before it', () => {
    const ops = [op({ id: 'a' }), op({ id: 'b', voter: otherId.toString(), rshares: (-FULL).toString(), weight: -10000 })];
    // The downvoter's reputation is above the author's at that step only if it exceeds FULL >> 6.
    const high = reputationAfter(authorId.toString(), 0n, ops, () => FULL);
    expect(high.changes.map((c) => c.delta)).toEqual([FULL >> 6n, (-FULL) >> 6n]);
    expect(high.reputation).toBe(0n);
    const low = reputationAfter(authorId.toString(), 0n, ops, () => 1n);
    expect(low.changes.map((c) => c.delta)).toEqual([FULL >> 6n, 0n]);
    expect(low.reputation).toBe(FULL >> 6n);
  });

  it('takes a self-vote’s voter reputation from the author as it stands', () => {
    const selfDownvote = op({ voter: authorId.toString(), rshares: (-FULL).toString(), weight: -10000 });
    // Rule 2: a negative vote counts only if the voter's reputation is above the author's, never for one's own.
    expect(reputationAfter(authorId.toString(), 1000n, [selfDownvote], () => 10n ** 18n).changes[0]!.delta).toBe(0n);
  });

  it('records each delta once per operation, and moves the author guarded by reputationSeq', () => {
    expect(reputationChangeWrite(authorId, op(), 5n)).toEqual({ filter: { op: 'op-1' }, update: { $set: { user: authorId, delta: 5, at: new Date(1_767_225_600_000) } }, upsert: true });
    expect(authorReputationWrite({ _id: authorId, reputationSeq: 3 }, 77n, [op({ id: 'a' }), op({ id: 'b' })])).toEqual({
      filter: { _id: authorId, reputationSeq: 3 },
      update: { $set: { reputation: '77' }, $inc: { reputationSeq: 1 }, $push: { reputationOps: { $each: ['a', 'b'], $slice: -APPLIED_OPS_KEPT } } },
    });
  });
});

describe('events and notifications', () => {
  it('tells the author of a vote with its weight and rshares, once per operation', () => {
    expect(voteEvent(op())).toEqual({ type: 'vote.applied', user: authorId, article: postId, data: { vote: 'op-1' } });
    expect(voteNotification(op())).toEqual({ recipient: authorId, type: 'vote', actor: voterId, article: postId, data: { weight: 10000, rshares: FULL.toString() }, dedupeKey: 'vote:op-1' });
    expect(voteNotification(op({ kind: 'change', rshares: '0', weight: 1 }))).toBeNull();
    expect(voteNotification(op({ kind: 'favorite' }))).toBeNull();
  });

  it('delivers a batch’s notifications less self-votes and voters the author muted', () => {
    const ops = [op({ id: 'kept' }), op({ id: 'self', voter: authorId.toString() }), op({ id: 'muted', voter: otherId.toString() }), op({ id: 'zero', kind: 'removal', rshares: '0' })];
    const delivered = deliveredVoteNotifications(ops, new Set([`${authorId}:${otherId}`]));
    expect(delivered.map((n) => n.dedupeKey)).toEqual(['vote:kept']);
    expect(deliveredVoteNotifications(ops, new Set()).map((n) => n.dedupeKey)).toEqual(['vote:kept', 'vote:muted']);
  });
});

describe('an operation as the tally takes it', () => {
  it('reads favorites from operations that predate them as upvotes', () => {
    expect(landingVote(op({ weight: 10000, oldWeight: 0 }))).toMatchObject({ favorite: true, oldFavorite: false, rshares: FULL, oldRshares: null });
    expect(landingVote(op({ weight: 0, oldWeight: 10000, oldRshares: '5' }))).toMatchObject({ favorite: false, oldFavorite: true, oldRshares: 5n });
    expect(landingVote(op({ weight: 0, favorite: true, oldFavorite: true }))).toMatchObject({ favorite: true, oldFavorite: true });
  });
});
