import type { RewardPolicy } from '../../domain/rewards';
import { ArticleModel } from '../../models/article';
import { CommentModel } from '../../models/comment';
import { VoteModel } from '../../models/vote';
import type { ArticleAuthor } from '../articles/articleViews';
import { touched, upserted, writeIgnoringDuplicates } from './driverWrites';
import { postCommits } from './groupCommitters';
import { countReputation, recordEventsAndNotify } from './landAuthors';
import { isCommentItem, type BatchReads, type PostState, type StoredPostItem } from './reads';
import { groupOps, isVote, type PendingVote } from './voteOp';
import { closedForVotes, closedPostWrite, postTallyWrite, tallyOn, voteRecordWrite } from './voteWrites';

/** The fields of a post a vote moves, as stored once the vote's batch landed on it. */
interface PostVoteCountersAfter {
  netRshares: string;
  absRshares: string;
  voteRshares: string;
  totalVoteWeight: string;
  trendingScore: number;
  hotScore: number;
  rankRshares: number;
  voteSeq: number;
  favoritesCount: number;
  upvotes: number;
  downvotes: number;
  updatedAt: Date;
}

/**
 * Lands a batch of charged votes: post counters, vote records, authors' reputation, events and
 * notifications. Every write is one command for the batch and replays as a no-op; when a guarded
 * write lost a race, its votes go through the one-vote path. `reads` is what the batch read before it
 * charged the voters. The voters' pending marks stay for the caller to clear.
 */
export async function landVoteBatch(
  ops: PendingVote[],
  policy: RewardPolicy,
  reads: Pick<BatchReads, 'users' | 'posts' | 'mutes'>,
): Promise<{ posts: Map<string, StoredPostItem>; authors: Map<string, ArticleAuthor> }> {
  const landPostsThenRecords = async () => {
    const { curation, postsAfter } = await landOnPosts(ops, policy, reads.posts);
    await writeVoteRecords(ops, curation);
    return postsAfter;
  };
  const votes = ops.filter(isVote);
  const [posts, authors] = await Promise.all([landPostsThenRecords(), countReputation(votes, reads.users), recordEventsAndNotify(votes, reads.mutes)]);
  return { posts, authors };
}

async function writeVoteRecords(ops: PendingVote[], curation: Map<string, bigint>): Promise<void> {
  const now = new Date();
  await writeIgnoringDuplicates(() =>
    VoteModel.collection.bulkWrite(
      ops.map((op) => {
        const { filter, update } = voteRecordWrite(op, curation.get(op.id) ?? 0n);
        return { updateOne: { filter, update: upserted(update, now), upsert: true } };
      }),
      { ordered: false },
    ),
  );
}

/**
 * Lands each post's votes with one guarded write per post, all in one command; returns each vote's
 * curation weight, and the counters of the posts the command left as it computed them. If a write
 * lost a race (a vote through another process, a settlement's claim), every vote of the batch goes
 * through the one-vote path, which skips what already landed and tells each vote's curation weight.
 */
async function landOnPosts(ops: PendingVote[], policy: RewardPolicy, posts: Map<string, PostState>): Promise<{ curation: Map<string, bigint>; postsAfter: Map<string, StoredPostItem> }> {
  const curation = new Map<string, bigint>();
  const postsAfter = new Map<string, StoredPostItem>();
  const open: { post: PostState; ops: PendingVote[]; write: ReturnType<typeof postTallyWrite>; tally: ReturnType<typeof tallyOn> }[] = [];
  // Claimed by a settlement: the votes count for nothing, the favorites still count.
  const closed: { post: PostState; ops: PendingVote[]; write: ReturnType<typeof closedPostWrite> }[] = [];
  for (const [postId, postOps] of groupOps(ops, (op) => op.article)) {
    const post = posts.get(postId)!;
    if (closedForVotes(post)) {
      closed.push({ post, ops: postOps, write: closedPostWrite(post, postOps) });
    } else {
      const tally = tallyOn(post, postOps, policy);
      open.push({ post, ops: postOps, write: postTallyWrite(post, tally), tally });
    }
  }
  const writes = [...open, ...closed];
  if (writes.length === 0) return { curation, postsAfter };
  const now = new Date();
  // One command per collection the batch's posts are in: articles, comments.
  const modified = await Promise.all(
    ([ArticleModel.collection, CommentModel.collection] as const).map(async (collection) => {
      const mine = writes.filter((w) => (collection === CommentModel.collection) === isCommentItem(w.post));
      if (mine.length === 0) return 0;
      const result = await collection.bulkWrite(
        mine.map(({ write }) => ({ updateOne: { filter: write.filter, update: touched(write.update, now) } })),
        { ordered: false },
      );
      return result.modifiedCount;
    }),
  );
  if (modified[0]! + modified[1]! === writes.length) {
    for (const w of open) {
      for (const c of w.tally.curation) curation.set(c.id, c.weight);
      postsAfter.set(w.post._id.toString(), { ...w.post, ...countersAfter(w.post, w.write, now) });
    }
    return { curation, postsAfter };
  }
  const landed = await Promise.all(writes.flatMap((w) => w.ops.map(async (op) => [op.id, await postCommits.submit(op.article, { op, policy })] as const)));
  return { curation: new Map(landed), postsAfter };
}

/** What a landed tally write left on its post: the guard held, so the stored fields are these. */
function countersAfter(before: PostState, write: ReturnType<typeof postTallyWrite>, now: Date): PostVoteCountersAfter {
  const { $set, $inc } = write.update;
  return {
    ...$set,
    voteSeq: before.voteSeq + $inc.voteSeq,
    favoritesCount: (('favoritesCount' in before ? before.favoritesCount : 0) ?? 0) + $inc.favoritesCount,
    upvotes: (before.upvotes ?? 0) + $inc.upvotes,
    downvotes: (before.downvotes ?? 0) + $inc.downvotes,
    updatedAt: now,
  };
}
