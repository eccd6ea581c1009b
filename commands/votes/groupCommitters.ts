import type { RewardPolicy } from '../../domain/rewards';
import { GroupCommitter } from '../../lib/groupCommit';
import { Types } from 'mongoose';
import { ArticleModel } from '../../models/article';
import { CommentModel } from '../../models/comment';
import { ReputationChangeModel } from '../../models/reputationChange';
import { UserModel } from '../../models/user';
import { touched } from './driverWrites';
import type { PendingVote } from './voteOp';
import { authorReputationWrite, closedForVotes, closedPostWrite, POST_TALLY_FIELDS, postTallyWrite, reputationAfter, reputationChangeWrite, tallyOn, type TallyPost } from './voteWrites';

/*
 * The one-vote path's compare-and-set loops on hot documents, one group committer each: votes queued
 * in this process for the same post (or the same author) land together, in order, by one guarded
 * write. Each loop skips the operations its document already recorded, so a replay is a no-op.
 */

/** Lands votes on one post item (an article or a comment); resolves each vote's curation weight (0 on a post closed for votes). */
export const postCommits = new GroupCommitter<{ op: PendingVote; policy: RewardPolicy }, bigint>((postId, items) => landOnPost(postId, items));

/** Moves one author's reputation by the votes on their posts. */
export const reputationCommits = new GroupCommitter<PendingVote, void>((authorId, ops) => countReputation(authorId, ops));

/** The operations not yet recorded on the document, each once. */
function fresh<T>(items: T[], idOf: (item: T) => string, recorded: (id: string) => boolean): T[] {
  return items.filter((item, i) => !recorded(idOf(item)) && items.findIndex((other) => idOf(other) === idOf(item)) === i);
}

type LandingPost = TallyPost & { appliedVoteOps: { id: string; curationWeight?: string | null }[] };

async function landOnPost(postId: string, items: { op: PendingVote; policy: RewardPolicy }[]): Promise<bigint[]> {
  // A post item's votes are all on an article or all on a comment: the item's collection, through the driver.
  const collection = items[0]!.op.comment ? CommentModel.collection : ArticleModel.collection;
  for (;;) {
    const post = (await collection.findOne({ _id: new Types.ObjectId(postId) }, { projection: { ...POST_TALLY_FIELDS, appliedVoteOps: 1 } })) as LandingPost | null;
    if (!post) return items.map(() => 0n);
    const landed = new Map(post.appliedVoteOps.map((entry) => [entry.id, BigInt(entry.curationWeight ?? '0')]));
    const ops = fresh(items, ({ op }) => op.id, (id) => landed.has(id)).map(({ op }) => op);
    if (ops.length === 0) return items.map(({ op }) => landed.get(op.id) ?? 0n);
    if (closedForVotes(post)) {
      const { filter, update } = closedPostWrite(post, ops);
      if ((await collection.updateOne(filter, touched(update, new Date()))).modifiedCount === 1) return items.map(() => 0n);
      continue;
    }
    const tally = tallyOn(post, ops, items[0]!.policy);
    const { filter, update } = postTallyWrite(post, tally);
    if ((await collection.updateOne(filter, touched(update, new Date()))).modifiedCount === 1) {
      for (const c of tally.curation) landed.set(c.id, c.weight);
      return items.map(({ op }) => landed.get(op.id) ?? 0n);
    }
  }
}

async function countReputation(authorId: string, ops: PendingVote[]): Promise<void[]> {
  const done = ops.map(() => undefined);
  for (;;) {
    const author = await UserModel.findById(authorId, { reputation: 1, reputationSeq: 1, reputationOps: 1 }).lean();
    if (!author) return done;
    const uncounted = fresh(ops, (op) => op.id, (id) => author.reputationOps.includes(id));
    if (uncounted.length === 0) return done;
    const voterIds = [...new Set(uncounted.filter((op) => op.voter !== authorId).map((op) => op.voter))];
    const voters = new Map((await UserModel.find({ _id: { $in: voterIds } }, { reputation: 1 }).lean()).map((v) => [v._id.toString(), BigInt(v.reputation ?? '0')]));
    const { reputation, changes } = reputationAfter(authorId, BigInt(author.reputation ?? '0'), uncounted, (voter) => voters.get(voter) ?? 0n);
    // Recorded (idempotently, per vote) before the counter moves, so a crash in between is repaired
    // by the roll-forward, which records its own deltas again before its write.
    await ReputationChangeModel.bulkWrite(changes.map(({ op, delta }) => ({ updateOne: reputationChangeWrite(author._id, op, delta) })), { ordered: false });
    const { filter, update } = authorReputationWrite(author, reputation, uncounted);
    if ((await UserModel.updateOne(filter, update)).modifiedCount === 1) return done;
  }
}
