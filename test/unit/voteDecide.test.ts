import { Types } from 'mongoose';
import { DEFAULT_REWARD_POLICY as policy } from '../../domain/rewards/policy';
import { downvoteManaMax, voteManaCost } from '../../domain/votes';
import { AppError } from '../../lib/errors';
import { decide, type Decided } from '../../commands/votes/decide';
import type { PostState, StoredVote, UserState } from '../../commands/votes/reads';
import type { VoteRequest } from '../../commands/votes/voteRequest';

const STAKE = 1_000_000_000_000n;
const [voterId, authorId, postId] = [new Types.ObjectId(), new Types.ObjectId(), new Types.ObjectId()];
const createdAt = new Date('2026-03-01T00:00:00Z');
const now = new Date(createdAt.getTime() + 600_000);
const unixNow = Math.floor(now.getTime() / 1000);

const voter = (fields: Partial<UserState> = {}) =>
  ({ _id: voterId, username: 'reader', stakeVests: STAKE.toString(), lastVoteTime: null, voteSeq: 3, pendingVote: null, reputation: '0', reputationSeq: 0, ...fields }) as UserState;
const post = { _id: postId, author: authorId, createdAt, payoutAt: new Date(createdAt.getTime() + 7 * 86_400_000), voteRshares: '0' } as unknown as PostState;
const request = (fields: Partial<VoteRequest> = {}): VoteRequest => ({ voter: voterId, article: postId, author: authorId, weight: 10000, now, policy, ...fields });
const record = (fields: Partial<StoredVote>): StoredVote => ({ article: postId, voter: voterId, weight: 10000, rshares: '1000', curationWeight: '5', changes: 0, ...fields });

const decided = (outcome: ReturnType<typeof decide>) => {
  if (outcome instanceof AppError || 'unchanged' in outcome) throw new Error(`not decided: ${JSON.stringify(outcome)}`);
  return outcome as Decided;
};

describe('deciding a vote', () => {
  it('charges a full upvote from a full bar by the domain’s cost, and makes it a favorite', () => {
    const { op, voterFields } = decided(decide(request(), voter(), post, undefined));
    const used = voteManaCost({ weight: 10000, votingMana: STAKE, downvoteMana: downvoteManaMax(STAKE, policy.downvotePoolPercent), policy });
    expect(voterFields).toEqual({
      votingMana: { current: (STAKE - used).toString(), lastUpdate: unixNow },
      downvoteMana: { current: downvoteManaMax(STAKE, policy.downvotePoolPercent).toString(), lastUpdate: unixNow },
      lastVoteTime: unixNow,
    });
    expect(op).toMatchObject({
      article: postId.toString(), voter: voterId.toString(), author: authorId.toString(), kind: 'new', weight: 10000, changes: 0, votedAt: unixNow,
      oldRshares: null, oldWeight: 0, oldCurationWeight: '0', eligibleForCuration: true, secondsSinceCreated: 600, favorite: true, oldFavorite: false, favoriteRefusal: null,
    });
    expect(BigInt(op.rshares)).toBeGreaterThan(0n);
  });

  it('takes a first downvote from the downvote pool the domain sizes (the voter never voted: a full pool)', () => {
    const { op, voterFields } = decided(decide(request({ weight: -10000 }), voter(), post, undefined));
    const pool = downvoteManaMax(STAKE, policy.downvotePoolPercent);
    const used = voteManaCost({ weight: -10000, votingMana: STAKE, downvoteMana: pool, policy });
    expect(voterFields.downvoteMana).toEqual({ current: (pool - used).toString(), lastUpdate: unixNow });
    expect(voterFields.votingMana).toEqual({ current: STAKE.toString(), lastUpdate: unixNow });
    expect(op).toMatchObject({ kind: 'new', weight: -10000, favorite: false, eligibleForCuration: false });
  });

  it('refuses by Steem’s rules with a 422 naming the rule', () => {
    const refusal = decide(request(), voter({ lastVoteTime: unixNow - 1 }), post, undefined);
    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).code).toBe('VOTE_TOO_SOON');
    expect((decide(request({ weight: 0 }), voter(), post, undefined) as AppError).code).toBe('VOTE_WEIGHT_ZERO');
  });

  it('changes an existing vote from its record, and treats a favorite-only record as no vote', () => {
    const change = decided(decide(request({ weight: 5000 }), voter(), post, record({})));
    expect(change.op).toMatchObject({ kind: 'change', oldRshares: '1000', oldWeight: 10000, oldCurationWeight: '5', changes: 1, oldFavorite: true });
    const first = decided(decide(request(), voter(), post, record({ weight: 0, rshares: '0', changes: 0, curationWeight: '0', favorite: true })));
    expect(first.op).toMatchObject({ kind: 'new', oldRshares: null, oldWeight: 0, oldFavorite: true, favorite: true });
  });
});

describe('deciding a favorite', () => {
  it('changes nothing when the favorite is already as asked (a record from before favorites: an upvote)', () => {
    expect(decide(request({ favorite: true }), voter(), post, record({}))).toEqual({ unchanged: true, favorite: true });
    expect(decide(request({ favorite: false }), voter(), post, undefined)).toEqual({ unchanged: true, favorite: false });
  });

  it('records the favorite without a vote, naming the rule, when the rules refuse the upvote: no mana moves', () => {
    const { op, voterFields } = decided(decide(request({ favorite: true }), voter({ lastVoteTime: unixNow - 1 }), post, undefined));
    expect(voterFields).toEqual({});
    expect(op).toMatchObject({ kind: 'favorite', weight: 0, rshares: '0', changes: 0, favorite: true, oldFavorite: false, favoriteRefusal: 'VOTE_TOO_SOON', eligibleForCuration: false });
  });

  it('is a full upvote when the rules allow it, and an unfavorite over a downvote leaves the vote as it is', () => {
    expect(decided(decide(request({ favorite: true }), voter(), post, undefined)).op).toMatchObject({ kind: 'new', weight: 10000, favorite: true, favoriteRefusal: null });
    const over = decided(decide(request({ favorite: false }), voter(), post, record({ weight: -10000, rshares: '-7', favorite: true })));
    expect(over.op).toMatchObject({ kind: 'favorite', weight: -10000, rshares: '-7', favorite: false, oldFavorite: true, favoriteRefusal: null });
    expect(over.voterFields).toEqual({});
  });
});
