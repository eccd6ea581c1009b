import { Types } from 'mongoose';
import type { RewardPolicy } from '../../domain/rewards';
import { tallyVotes, type AcceptedVote, type LandingVote, type VoteTally } from '../../domain/votes';
import { reputationDelta } from '../../domain/reputation';
import { hotScore, trendingScore } from '../../domain/ranking';
import { ArticleModel } from '../../models/article';
import { UserModel } from '../../models/user';
import { VoteModel } from '../../models/vote';
import { EventModel } from '../../models/event';
import { ReputationChangeModel } from '../../models/reputationChange';
import { GroupCommitter } from '../../lib/groupCommit';
import { isDuplicateKeyError } from '../duplicateKey';
import { notify, type NotificationInput } from '../notifications/notify';

/**
 * A vote decided and charged to the voter, stored on the voter as `pendingVote` in the same guarded
 * update that debits the mana. Applying it to the vote record, the post's counters and the author's
 * reputation is idempotent, so whoever finds it pending (this request, the voter's next vote, or the
 * background roll-forward after a crash) rolls it forward: mana is spent exactly when the vote counts.
 */
export interface PendingVote {
  id: string;
  article: string;
  voter: string;
  author: string;
  /** `favorite`: a favorite or unfavorite recorded without a vote (no mana, rshares, reputation or event). */
  kind: AcceptedVote['kind'] | 'favorite';
  weight: number;
  rshares: string;
  changes: number;
  votedAt: number;
  oldRshares: string | null;
  oldWeight: number;
  /** w_i of the vote being changed (what a change removes from total_vote_weight). */
  oldCurationWeight: string;
  eligibleForCuration: boolean;
  secondsSinceCreated: number;
  /** The voter's favorite after and before (absent in operations from before favorites were kept apart: `weight > 0`). */
  favorite?: boolean;
  oldFavorite?: boolean;
  /** The vote rule that kept a favorite from being an upvote (or an unfavorite from removing one). */
  favoriteRefusal?: string | null;
}

/** The voter's favorite once this operation landed. */
export const favoriteAfter = (op: Pick<PendingVote, 'favorite' | 'weight'>) => op.favorite ?? op.weight > 0;

/** Whether this operation moves votes (rshares, reputation, events), not only the favorite. */
export const isVote = (op: Pick<PendingVote, 'kind'>) => op.kind !== 'favorite';

/** How many applied operation ids a post and an author keep, to recognise a replayed one. */
export const APPLIED_OPS_KEPT = 200;

export const unix = (date: Date) => Math.floor(date.getTime() / 1000);

export function landingVote(op: PendingVote): LandingVote {
  return {
    id: op.id,
    kind: op.kind,
    weight: op.weight,
    oldWeight: op.oldWeight,
    rshares: BigInt(op.rshares),
    oldRshares: op.oldRshares === null ? null : BigInt(op.oldRshares),
    oldCurationWeight: BigInt(op.oldCurationWeight),
    eligibleForCuration: op.eligibleForCuration,
    secondsSinceCreated: op.secondsSinceCreated,
    favorite: favoriteAfter(op),
    oldFavorite: op.oldFavorite ?? op.oldWeight > 0,
  };
}

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
export const closedForVotes = (post: TallyPost) => Boolean(post.paid || post.settlingBatch);

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
export function postTallyWrite(post: TallyPost, tally: VoteTally) {
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
export function closedPostWrite(post: TallyPost, ops: PendingVote[]) {
  const favoritesDelta = ops.reduce((sum, op) => sum + (favoriteAfter(op) ? 1 : 0) - ((op.oldFavorite ?? op.oldWeight > 0) ? 1 : 0), 0);
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
  return { filter, update: { $set: { weight: op.weight, rshares: op.rshares, changes: op.changes, curationWeight: curationWeight.toString(), ...favorite } } };
}

/** An author's reputation after a run of votes, and each vote's delta (§3.1). */
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

export function reputationChangeWrite(author: Types.ObjectId, op: PendingVote, delta: bigint) {
  return { filter: { op: op.id }, update: { $set: { user: author, delta: Number(delta), at: new Date(op.votedAt * 1000) } }, upsert: true };
}

export function voteEvent(op: PendingVote) {
  return { type: 'vote.applied' as const, user: new Types.ObjectId(op.author), article: new Types.ObjectId(op.article), data: { vote: op.id } };
}

/** The author's notification of a vote (a change to 0 rshares tells nothing new). */
export function voteNotification(op: PendingVote): NotificationInput | null {
  if (!isVote(op)) return null;
  if (op.kind !== 'new' && BigInt(op.rshares) === 0n) return null;
  return {
    recipient: new Types.ObjectId(op.author),
    type: 'vote',
    actor: new Types.ObjectId(op.voter),
    article: new Types.ObjectId(op.article),
    data: { weight: op.weight, rshares: op.rshares },
    dedupeKey: `vote:${op.id}`,
  };
}

/** Applies one charged vote everywhere it counts; every step is a no-op when replayed. */
export async function applyPendingVote(op: PendingVote, policy: RewardPolicy): Promise<void> {
  const curation = await articleCommits.submit(op.article, { op, policy });
  await writeVoteRecord(op, curation);
  if (isVote(op)) {
    await reputationCommits.submit(op.author, op);
    // Event and notification before the pending marker goes: a replay may repeat the event (its
    // processors are idempotent) and the notification's dedupe key makes it once.
    await EventModel.create(voteEvent(op));
    const notification = voteNotification(op);
    if (notification) await notify(notification);
  }
  await UserModel.updateOne({ _id: op.voter, 'pendingVote.id': op.id }, { $set: { pendingVote: null } });
}

/**
 * Rolls forward votes left pending by a process that stopped between charging the voter and
 * applying the vote (crash, kill): finds voters whose pending vote is older than `olderThan`.
 */
export async function applyStalePendingVotes(policy: RewardPolicy, olderThanUnix: number, limit = 100): Promise<number> {
  const stale = await UserModel.find({ 'pendingVote.votedAt': { $lt: olderThanUnix } }, { pendingVote: 1 }).limit(limit).lean<{ pendingVote: PendingVote | null }[]>();
  for (const user of stale) if (user.pendingVote) await applyPendingVote(user.pendingVote, policy);
  return stale.length;
}

async function writeVoteRecord(op: PendingVote, curation: bigint): Promise<void> {
  const { filter, update } = voteRecordWrite(op, curation);
  try {
    await VoteModel.updateOne(filter, update, { upsert: true });
  } catch (error) {
    // The unique (article, voter) index: the record exists and already carries this operation.
    if (!isDuplicateKeyError(error)) throw error;
  }
}

/** Votes on one post queued in this process are landed together, in order, by one guarded write. */
export const articleCommits = new GroupCommitter<{ op: PendingVote; policy: RewardPolicy }, bigint>((articleId, items) => landOnArticle(articleId, items));

async function landOnArticle(articleId: string, items: { op: PendingVote; policy: RewardPolicy }[]): Promise<bigint[]> {
  for (;;) {
    const post = await ArticleModel.findById(articleId, { ...POST_TALLY_FIELDS, appliedVoteOps: 1 }).lean<TallyPost & { appliedVoteOps: { id: string; curationWeight?: string | null }[] }>();
    if (!post) return items.map(() => 0n);
    const landed = new Map(post.appliedVoteOps.map((entry) => [entry.id, BigInt(entry.curationWeight ?? '0')]));
    const fresh = items.filter(({ op }, i) => !landed.has(op.id) && items.findIndex((other) => other.op.id === op.id) === i);
    if (fresh.length === 0) return items.map(({ op }) => landed.get(op.id) ?? 0n);
    if (closedForVotes(post)) {
      const { filter, update } = closedPostWrite(post, fresh.map(({ op }) => op));
      if ((await ArticleModel.updateOne(filter, update)).modifiedCount === 1) return items.map(() => 0n);
      continue;
    }
    const tally = tallyOn(post, fresh.map(({ op }) => op), items[0]!.policy);
    const { filter, update } = postTallyWrite(post, tally);
    const written = await ArticleModel.updateOne(filter, update);
    if (written.modifiedCount === 1) {
      for (const c of tally.curation) landed.set(c.id, c.weight);
      return items.map(({ op }) => landed.get(op.id) ?? 0n);
    }
  }
}

/** Votes for one author queued in this process move the author's reputation by one guarded write. */
export const reputationCommits = new GroupCommitter<PendingVote, void>((authorId, ops) => countReputation(authorId, ops));

async function countReputation(authorId: string, ops: PendingVote[]): Promise<void[]> {
  for (;;) {
    const author = await UserModel.findById(authorId, { reputation: 1, reputationSeq: 1, reputationOps: 1 }).lean();
    if (!author) return ops.map(() => undefined);
    const fresh = ops.filter((op, i) => !author.reputationOps.includes(op.id) && ops.findIndex((other) => other.id === op.id) === i);
    if (fresh.length === 0) return ops.map(() => undefined);
    const voterIds = [...new Set(fresh.filter((op) => op.voter !== authorId).map((op) => op.voter))];
    const voters = new Map((await UserModel.find({ _id: { $in: voterIds } }, { reputation: 1 }).lean()).map((v) => [v._id.toString(), BigInt(v.reputation ?? '0')]));
    const { reputation, changes } = reputationAfter(authorId, BigInt(author.reputation ?? '0'), fresh, (voter) => voters.get(voter) ?? 0n);
    // Recorded (idempotently, per vote) before the counter moves, so a crash in between is repaired
    // by the roll-forward, which records its own deltas again before its write.
    await ReputationChangeModel.bulkWrite(changes.map(({ op, delta }) => ({ updateOne: reputationChangeWrite(author._id, op, delta) })), { ordered: false });
    const updated = await UserModel.updateOne(
      { _id: author._id, reputationSeq: author.reputationSeq },
      { $set: { reputation: reputation.toString() }, $inc: { reputationSeq: 1 }, $push: { reputationOps: { $each: fresh.map((op) => op.id), $slice: -APPLIED_OPS_KEPT } } },
    );
    if (updated.modifiedCount === 1) return ops.map(() => undefined);
  }
}
