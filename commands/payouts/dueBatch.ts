/**
 * Reading and claiming the posts of the next settlement batch (docs/payouts.md, "Settlement
 * batches"): due posts are read ahead with their votes, then claimed at the vote sequence read, so
 * a vote landing in between makes the claim miss and the post waits for a later batch.
 */
import type { Types } from 'mongoose';
import { ArticleModel } from '../../models/article';
import { CommentModel } from '../../models/comment';
import { UserModel } from '../../models/user';
import { VoteModel } from '../../models/vote';
import type { RecipientUser } from './ledgerDocuments';
import type { ClaimedArticle, VoteRow } from './settlementInputs';

/**
 * The posts of the next batch and their votes, read before the batch claims them: the claim only
 * takes a post whose vote sequence is still the one read here, so a post whose votes changed in
 * between is left for a later batch, and these votes are exactly those of every post claimed. A post
 * is a post item: an article, or a comment (`comment: true`), settled from the same fund snapshot.
 */
export interface DueBatch {
  now: number;
  ready: DuePost[];
  votes: VoteRow[];
}

export interface DuePost {
  _id: Types.ObjectId;
  voteSeq: number;
  /** A comment (read from and claimed in the comments). */
  comment?: true;
}

const unixToDate = (seconds: number) => new Date(seconds * 1000);

/**
 * Reads the next batch ahead: up to `batchSize` posts (articles and comments together, those due
 * first) due `delaySeconds` ago (votes cast just before the payout time are still landing), minus
 * those with a vote still pending, and their votes; null when none is due.
 */
export async function readDueBatch(limits: { batchSize: number; delaySeconds: number }, now: number): Promise<DueBatch | null> {
  const due = { paid: false, settlingBatch: null, payoutAt: { $lte: unixToDate(now - limits.delaySeconds) } };
  type Candidate = DuePost & { payoutAt: Date };
  // The (paid, payoutAt) index of each collection gives this order, so each scan stops at the batch size.
  const [articles, comments] = await Promise.all([
    ArticleModel.find(due, { _id: 1, voteSeq: 1, payoutAt: 1 }).sort({ payoutAt: 1 }).limit(limits.batchSize).lean<Candidate[]>(),
    CommentModel.find(due, { _id: 1, voteSeq: 1, payoutAt: 1 }).sort({ payoutAt: 1 }).limit(limits.batchSize).lean<Candidate[]>(),
  ]);
  const candidates = [...articles, ...comments.map((c) => ({ _id: c._id, voteSeq: c.voteSeq ?? 0, payoutAt: c.payoutAt, comment: true as const }))]
    .sort((a, b) => a.payoutAt.getTime() - b.payoutAt.getTime())
    .slice(0, limits.batchSize)
    .map(({ payoutAt: _payoutAt, ...post }): DuePost => post);
  if (candidates.length === 0) return null;
  // A vote charged before the payout but not yet applied must land first (the sweep rolls it forward).
  const pending = await UserModel.find(
    { 'pendingVote.votedAt': { $lte: now }, 'pendingVote.article': { $in: candidates.map((c) => c._id.toString()) } },
    { pendingVote: 1 },
  ).lean<{ pendingVote: { article: string } | null }[]>();
  const waiting = new Set(pending.map((user) => user.pendingVote?.article));
  const ready = candidates.filter((c) => !waiting.has(c._id.toString()));
  if (ready.length === 0) return null;
  // The driver directly: mongoose adds nothing to a projection of plain fields, and this is the batch's largest read.
  const votes = await VoteModel.collection
    .find<VoteRow>({ article: { $in: ready.map((c) => c._id) } }, { projection: { _id: 0, article: 1, voter: 1, rshares: 1, curationWeight: 1 }, batchSize: 100_000 })
    .toArray();
  return { now, ready, votes };
}

/** Claims each post for the batch at the vote sequence read ahead: a vote landing in between makes the claim miss. */
export async function claimDuePosts(batchId: string, ready: DueBatch['ready']): Promise<void> {
  const claim = (c: DuePost) => ({
    updateOne: { filter: { _id: c._id, voteSeq: c.voteSeq, paid: false, settlingBatch: null }, update: { $set: { settlingBatch: batchId }, $inc: { voteSeq: 1 } } },
  });
  const comments = ready.filter((c) => c.comment);
  const articles = ready.filter((c) => !c.comment);
  await Promise.all([
    articles.length > 0 ? ArticleModel.collection.bulkWrite(articles.map(claim), { ordered: false }) : undefined,
    comments.length > 0 ? CommentModel.collection.bulkWrite(comments.map(claim), { ordered: false }) : undefined,
  ]);
}

/**
 * The posts a batch claimed (by id), without their bodies (up to 64 KiB each): its articles, then
 * its comments, which take their article's slug and the payout options' defaults (a comment has none).
 */
export async function readClaimedArticles(batchId: string): Promise<ClaimedArticle[]> {
  const [articles, comments] = await Promise.all([
    ArticleModel.find(
      { settlingBatch: batchId, paid: false },
      { slug: 1, author: 1, netRshares: 1, totalVoteWeight: 1, beneficiaries: 1, maxAcceptedPayout: 1, percentLiquid: 1, allowCurationRewards: 1, declinePayout: 1 },
    )
      .sort({ _id: 1 })
      .lean<ClaimedArticle[]>(),
    CommentModel.find({ settlingBatch: batchId, paid: false }, { id: 1, article: 1, author: 1, netRshares: 1, totalVoteWeight: 1 })
      .sort({ _id: 1 })
      .lean<{ _id: Types.ObjectId; id: number; article: Types.ObjectId; author: Types.ObjectId; netRshares: string; totalVoteWeight: string }[]>(),
  ]);
  if (comments.length === 0) return articles;
  const parents = await ArticleModel.find({ _id: { $in: [...new Set(comments.map((c) => c.article.toString()))] } }, { slug: 1 }).lean();
  const slugs = new Map(parents.map((a) => [a._id.toString(), a.slug]));
  // A comment whose article is gone settles under the article's id (it cannot be read back by slug).
  const claimedComments = comments.map(
    (c): ClaimedArticle => ({ _id: c._id, slug: slugs.get(c.article.toString()) ?? c.article.toString(), author: c.author, netRshares: c.netRshares, totalVoteWeight: c.totalVoteWeight, comment: { id: c.id, article: c.article } }),
  );
  return [...articles, ...claimedComments];
}

/** The users a batch pays: authors and voters by id, and those whose linked account a beneficiary names. */
export async function readBatchRecipients(
  articles: readonly ClaimedArticle[],
  votes: readonly VoteRow[],
): Promise<{ usersById: Map<string, RecipientUser>; usersByAccount: Map<string, RecipientUser> }> {
  const beneficiaryAccounts = [...new Set(articles.flatMap((a) => (a.beneficiaries ?? []).map((b) => b.account!)))];
  const userIds = [...new Set([...articles.map((a) => a.author.toString()), ...votes.map((v) => v.voter.toString())])];
  const [users, beneficiaryUsers] = await Promise.all([
    UserModel.find({ _id: { $in: userIds } }, { username: 1, steemAccount: 1 }).lean<RecipientUser[]>(),
    beneficiaryAccounts.length > 0 ? UserModel.find({ steemAccount: { $in: beneficiaryAccounts } }, { username: 1, steemAccount: 1 }).lean<RecipientUser[]>() : [],
  ]);
  return {
    usersById: new Map(users.map((u) => [u._id.toString(), u])),
    usersByAccount: new Map(beneficiaryUsers.map((u) => [u.steemAccount!, u])),
  };
}
