/**
 * Reading and claiming the posts of the next settlement batch (docs/payouts.md, "Settlement
 * batches"): due posts are read ahead with their votes, then claimed at the vote sequence read, so
 * a vote landing in between makes the claim miss and the post waits for a later batch.
 */
import type { Types } from 'mongoose';
import { ArticleModel } from '../../models/article';
import { UserModel } from '../../models/user';
import { VoteModel } from '../../models/vote';
import type { RecipientUser } from './ledgerDocuments';
import type { ClaimedArticle, VoteRow } from './settlementInputs';

/**
 * The posts of the next batch and their votes, read before the batch claims them: the claim only
 * takes a post whose vote sequence is still the one read here, so a post whose votes changed in
 * between is left for a later batch, and these votes are exactly those of every post claimed.
 */
export interface DueBatch {
  now: number;
  ready: { _id: Types.ObjectId; voteSeq: number }[];
  votes: VoteRow[];
}

const unixToDate = (seconds: number) => new Date(seconds * 1000);

/**
 * Reads the next batch ahead: up to `batchSize` posts due `delaySeconds` ago (votes cast just before
 * the payout time are still landing), minus those with a vote still pending, and their votes; null
 * when none is due.
 */
export async function readDueBatch(limits: { batchSize: number; delaySeconds: number }, now: number): Promise<DueBatch | null> {
  const candidates = await ArticleModel.find({ paid: false, settlingBatch: null, payoutAt: { $lte: unixToDate(now - limits.delaySeconds) } }, { _id: 1, voteSeq: 1 })
    .sort({ payoutAt: 1 }) // the (paid, payoutAt) index gives this order, so the scan stops at the batch size
    .limit(limits.batchSize)
    .lean<{ _id: Types.ObjectId; voteSeq: number }[]>();
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
  await ArticleModel.collection.bulkWrite(
    ready.map((c) => ({
      updateOne: { filter: { _id: c._id, voteSeq: c.voteSeq, paid: false, settlingBatch: null }, update: { $set: { settlingBatch: batchId }, $inc: { voteSeq: 1 } } },
    })),
    { ordered: false },
  );
}

/** The posts a batch claimed (by id), without their bodies (up to 64 KiB each). */
export async function readClaimedArticles(batchId: string): Promise<ClaimedArticle[]> {
  return ArticleModel.find(
    { settlingBatch: batchId, paid: false },
    { slug: 1, author: 1, netRshares: 1, totalVoteWeight: 1, beneficiaries: 1, maxAcceptedPayout: 1, percentLiquid: 1, allowCurationRewards: 1, declinePayout: 1 },
  )
    .sort({ _id: 1 })
    .lean<ClaimedArticle[]>();
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
