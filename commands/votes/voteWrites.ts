/*
 * The writes that land a charged vote, as pure builders: each returns the filter and update of one
 * guarded, replay-safe write. The one-vote path runs them through mongoose, the vote batch through
 * the driver (driverWrites.ts adds the timestamps mongoose would).
 */
import { Types } from 'mongoose';
import type { RewardPolicy } from '../../domain/rewards';
import { isDelivered, voteIsNotified } from '../../domain/notifications/rules';
import { reputationDelta } from '../../domain/reputation';
import { hotScore, trendingScore } from '../../domain/ranking';
import { favoriteCountDelta, tallyVotes, type VoteTally } from '../../domain/votes';
import type { NotificationInput } from '../notifications/notify';
import { APPLIED_OPS_KEPT, articleOf, favoriteAfter, isVote, landingVote, unix, type PendingVote } from './voteOp';

/** The fields of a post that landing votes reads. */
export const POST_TALLY_FIELDS = {
  author: 1, createdAt: 1, paid: 1, settlingBatch: 1, allowCurationRewards: 1, netRshares: 1, absRshares: 1, voteRshares: 1, totalVoteWeight: 1, voteSeq: 1,
} as const;

export interface TallyPost {
  _id: Types.ObjectId;
  createdAt: Date;
  paid?: boolean | null;
  settlingBatch?: string | null;
  allowCurationRewards?: boolean | null;
  netRshares: string;
  absRshares: string;
  voteRshares: string;
  totalVoteWeight: string;
  voteSeq: number;
}

/** Claimed by a settlement: votes cast before the payout that arrive after it was taken count for nothing. */
export const closedForVotes = (post: Pick<TallyPost, 'paid' | 'settlingBatch'>) => Boolean(post.paid || post.settlingBatch);

export function tallyOn(post: TallyPost, ops: PendingVote[], policy: RewardPolicy): VoteTally {
  return tallyVotes(
    {
      counters: { netRshares: BigInt(post.netRshares), absRshares: BigInt(post.absRshares), voteRshares: BigInt(post.voteRshares), totalVoteWeight: BigInt(post.totalVoteWeight) },
      allowCurationRewards: post.allowCurationRewards ?? true,
    },
    ops.map(landingVote),
    policy,
  );
}

/** The compare-and-set write that lands a tally on its post (guarded by the post's voteSeq). */
export function postTallyWrite(post: Pick<TallyPost, '_id' | 'createdAt' | 'voteSeq'>, tally: VoteTally) {
  const created = unix(post.createdAt);
  const net = tally.counters.netRshares;
  return {
    filter: { _id: post._id, voteSeq: post.voteSeq },
    update: {
      $set: {
        netRshares: net.toString(),
        absRshares: tally.counters.absRshares.toString(),
        voteRshares: tally.counters.voteRshares.toString(),
        totalVoteWeight: tally.counters.totalVoteWeight.toString(),
        trendingScore: trendingScore(net, created),
        hotScore: hotScore(net, created),
        rankRshares: Number(net),
      },
      $inc: { voteSeq: 1, favoritesCount: tally.favoritesDelta, upvotes: tally.upvotesDelta, downvotes: tally.downvotesDelta },
      $push: {
        appliedVoteOps: { $each: tally.curation.map((c) => ({ id: c.id, curationWeight: c.weight.toString(), raw: c.raw.toString() })), $slice: -APPLIED_OPS_KEPT },
      },
    },
  };
}

/**
 * On a post a settlement has claimed (or paid), votes count for nothing, but favorites still count:
 * the compare-and-set write that moves only favoritesCount and records the operations as applied.
 */
export function closedPostWrite(post: Pick<TallyPost, '_id' | 'voteSeq'>, ops: PendingVote[]) {
  const favoritesDelta = ops.reduce((sum, op) => sum + favoriteCountDelta(op), 0);
  return {
    filter: { _id: post._id, voteSeq: post.voteSeq },
    update: {
      $inc: { voteSeq: 1, favoritesCount: favoritesDelta },
      $push: { appliedVoteOps: { $each: ops.map((op) => ({ id: op.id, curationWeight: '0', raw: '0' })), $slice: -APPLIED_OPS_KEPT } },
    },
  };
}

/** The idempotent upsert of the vote record (the unique (article, voter) index keeps it one). */
export function voteRecordWrite(op: PendingVote, curationWeight: bigint) {
  const filter = { article: new Types.ObjectId(op.article), voter: new Types.ObjectId(op.voter), lastOp: { $ne: op.id } };
  const favorite = { favorite: favoriteAfter(op), favoriteRefusal: op.favoriteRefusal ?? null, lastOp: op.id };
  // A favorite without a vote leaves the vote as it is (a new record: no vote, weight 0, no changes).
  if (!isVote(op)) return { filter, update: { $set: favorite, $setOnInsert: { weight: 0, rshares: '0', changes: 0, curationWeight: '0' } } };
  const vote = { weight: op.weight, rshares: op.rshares, changes: op.changes, curationWeight: curationWeight.toString(), ...favorite };
  // A comment vote's record says which comment, on which article (an article vote's record has no `comment`).
  const comment = op.comment ? { comment: { id: op.comment.id, article: new Types.ObjectId(op.comment.article) } } : {};
  return { filter, update: { $set: { ...vote, ...comment } } };
}

/** An author's reputation after a run of votes, and each vote's delta (docs/rewards.md, "Reputation"). */
export function reputationAfter(authorId: string, reputation: bigint, ops: PendingVote[], voterReputation: (voter: string) => bigint) {
  const changes: { op: PendingVote; delta: bigint }[] = [];
  for (const op of ops) {
    const selfVote = op.voter === authorId;
    const delta = reputationDelta({
      voterReputation: selfVote ? reputation : voterReputation(op.voter),
      authorReputation: reputation,
      oldRshares: op.oldRshares === null ? null : BigInt(op.oldRshares),
      newRshares: BigInt(op.rshares),
      selfVote,
    });
    reputation += delta;
    changes.push({ op, delta });
  }
  return { reputation, changes };
}

/** The idempotent record of one vote's reputation delta (keyed by the operation). */
export function reputationChangeWrite(author: Types.ObjectId, op: PendingVote, delta: bigint) {
  return { filter: { op: op.id }, update: { $set: { user: author, delta: Number(delta), at: new Date(op.votedAt * 1000) } }, upsert: true };
}

/** The compare-and-set write that moves an author's reputation (guarded by their reputationSeq). */
export function authorReputationWrite(author: { _id: Types.ObjectId; reputationSeq: number }, reputation: bigint, ops: PendingVote[]) {
  return {
    filter: { _id: author._id, reputationSeq: author.reputationSeq },
    update: { $set: { reputation: reputation.toString() }, $inc: { reputationSeq: 1 }, $push: { reputationOps: { $each: ops.map((op) => op.id), $slice: -APPLIED_OPS_KEPT } } },
  };
}

export function voteEvent(op: PendingVote) {
  const data = op.comment ? { vote: op.id, comment: op.comment.id } : { vote: op.id };
  return { type: 'vote.applied' as const, user: new Types.ObjectId(op.author), article: new Types.ObjectId(articleOf(op)), data };
}

/** The author's notification of a vote, when the rules say they hear of it (`notify` then applies the delivery rules). */
export function voteNotification(op: PendingVote): NotificationInput | null {
  if (!voteIsNotified({ kind: op.kind, rshares: BigInt(op.rshares) })) return null;
  return {
    recipient: new Types.ObjectId(op.author),
    type: 'vote',
    actor: new Types.ObjectId(op.voter),
    article: new Types.ObjectId(articleOf(op)),
    ...(op.comment ? { commentId: op.comment.id } : {}),
    data: { weight: op.weight, rshares: op.rshares },
    dedupeKey: `vote:${op.id}`,
  };
}

/**
 * The notifications a run of votes delivers, for a caller that read the mutes itself (`muter:muted`
 * pairs): the authors' vote notifications, less self-votes and votes from voters the author muted.
 */
export function deliveredVoteNotifications(ops: PendingVote[], mutes: ReadonlySet<string>): NotificationInput[] {
  return ops.flatMap((op) => {
    const notification = voteNotification(op);
    const parties = { recipient: op.author, actor: op.voter };
    return notification && isDelivered(parties, mutes.has(`${op.author}:${op.voter}`)) ? [notification] : [];
  });
}
