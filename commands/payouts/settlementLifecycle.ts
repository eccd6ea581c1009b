/**
 * The settlement batch's state machine (docs/payouts.md, "Settlement batches"): a batch is opened
 * (`preparing`), its ledger written `prepared`, then committed by one compare-and-set on the reward
 * fund that moves its version on and records the batch id, then applied (statuses flipped, articles
 * marked paid). A crash anywhere leaves either an uncommitted batch, which is fenced off and
 * abandoned, or a committed one, which is applied again (every step is idempotent).
 */
import { Types } from 'mongoose';
import type { RewardFundState, RewardPolicy } from '../../domain/rewards';
import { fundFields } from '../rewards/fund';
import { ArticleModel } from '../../models/article';
import { CommentModel } from '../../models/comment';
import { EventModel } from '../../models/event';
import { PaymentModel } from '../../models/payment';
import { REWARD_FUND_ID, RewardFundModel } from '../../models/rewardFund';
import { SettlementModel } from '../../models/settlement';
import { SettlementBatchModel } from '../../models/settlementBatch';
import type { Logger } from '../../lib/logger';
import { payoutSummary, type PaymentDocument, type SettlementDocument } from './ledgerDocuments';

/** Finishes or abandons the batches a stopped worker left behind. Run before settling anything new. */
export async function recoverBatches(logger: Logger): Promise<void> {
  const open = await SettlementBatchModel.find({ status: { $in: ['preparing', 'committed'] } })
    .sort({ createdAt: 1 })
    .lean();
  for (const batch of open) {
    if (batch.status === 'preparing' && !(await committedOrFenced(batch._id, batch.fundVersion))) {
      await abandonBatch(batch._id);
      logger.warn({ batch: batch._id }, 'abandoned a settlement batch its worker did not commit; its posts will settle again');
      continue;
    }
    await applyBatch(batch._id);
    logger.info({ batch: batch._id }, 'applied a committed settlement batch its worker did not finish');
  }
  // Posts (articles and comments) claimed by a batch that was abandoned while its (slow) worker was still claiming them.
  for (const collection of POST_COLLECTIONS) {
    const claimedBy = (await collection.distinct('settlingBatch', { paid: false, settlingBatch: { $type: 'string' } })) as string[];
    if (claimedBy.length === 0) continue;
    const live = new Set((await SettlementBatchModel.find({ _id: { $in: claimedBy }, status: { $ne: 'abandoned' } }, { _id: 1 }).lean()).map((b) => b._id));
    const dead = claimedBy.filter((id) => !live.has(id));
    if (dead.length > 0) await collection.updateMany({ paid: false, settlingBatch: { $in: dead } }, { $set: { settlingBatch: null } });
  }
}

/** The collections of post items a batch settles: articles and comments. */
const POST_COLLECTIONS = [ArticleModel.collection, CommentModel.collection] as const;

/** True when the batch committed; otherwise fences it off so it never can (moves the fund version on). */
async function committedOrFenced(batchId: string, fundVersion: number): Promise<boolean> {
  for (;;) {
    const fund = await RewardFundModel.findById(REWARD_FUND_ID).lean();
    if (fund?.recentBatches?.includes(batchId)) {
      await SettlementBatchModel.updateOne({ _id: batchId, status: 'preparing' }, { $set: { status: 'committed' } });
      return true;
    }
    if (!fund || fund.version !== fundVersion) return false;
    const fenced = await RewardFundModel.updateOne({ _id: REWARD_FUND_ID, version: fundVersion }, { $inc: { version: 1 } });
    if (fenced.modifiedCount === 1) return false;
  }
}

/** Opens a batch (`preparing`) against the fund version it will commit on; returns its id. */
export async function openBatch(batch: { owner: string; fundVersion: number; articles: Types.ObjectId[]; settledAt: number; policy: RewardPolicy }): Promise<string> {
  const batchId = new Types.ObjectId().toHexString();
  await SettlementBatchModel.create({
    _id: batchId,
    status: 'preparing',
    owner: batch.owner,
    fundVersion: batch.fundVersion,
    articles: batch.articles,
    settledAt: batch.settledAt,
    policyVersion: batch.policy.policyVersion,
  });
  return batchId;
}

/** Drops what an uncommitted batch wrote and frees its posts for a later batch. */
export async function abandonBatch(batchId: string): Promise<void> {
  await SettlementModel.deleteMany({ batch: batchId, status: 'prepared' });
  await PaymentModel.deleteMany({ batch: batchId, status: 'prepared' });
  for (const collection of POST_COLLECTIONS) await collection.updateMany({ settlingBatch: batchId, paid: false }, { $set: { settlingBatch: null } });
  await SettlementBatchModel.updateOne({ _id: batchId }, { $set: { status: 'abandoned' } });
}

/** Writes the batch's ledger, invisible (`prepared`) until it commits; on failure abandons the batch and rethrows. */
export async function writeBatchLedger(batchId: string, articleIds: Types.ObjectId[], settlements: SettlementDocument[], payments: PaymentDocument[]): Promise<void> {
  try {
    // Leftovers of an abandoned batch whose worker was still writing when it was fenced off.
    await SettlementModel.deleteMany({ article: { $in: articleIds }, status: 'prepared', batch: { $ne: batchId } });
    // Both are invisible until the batch commits, so they are written side by side (and both have
    // finished before a failure abandons the batch, so nothing is written after its clean-up).
    const written = await Promise.allSettled([
      SettlementModel.insertMany(settlements, { ordered: false, lean: true }),
      payments.length > 0 ? PaymentModel.insertMany(payments, { ordered: false, lean: true }) : undefined,
    ]);
    const failed = written.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (error) {
    await abandonBatch(batchId);
    throw error;
  }
}

export interface BatchTotals {
  posts: number;
  payout: string;
  distributed: string;
  returnedToFund: string;
  payments: number;
}

/**
 * The commit: one compare-and-set on the reward fund at the version the batch opened on. True when
 * it committed; otherwise (the fund moved on: another settler, or a fence) the batch is abandoned.
 */
export async function commitBatch(
  batchId: string,
  fundVersion: number,
  outcome: { totals: BatchTotals; payoutBasis: { rewardBalance: bigint; recentClaims: bigint }; fundAfter: RewardFundState },
): Promise<boolean> {
  await SettlementBatchModel.updateOne(
    { _id: batchId },
    { $set: { totals: outcome.totals, payoutBasis: { rewardBalance: outcome.payoutBasis.rewardBalance.toString(), recentClaims: outcome.payoutBasis.recentClaims.toString() } } },
  );
  const committed = await RewardFundModel.updateOne(
    { _id: REWARD_FUND_ID, version: fundVersion },
    { $set: fundFields(outcome.fundAfter), $inc: { version: 1 }, $push: { recentBatches: { $each: [batchId], $slice: -100 } } },
  );
  if (committed.modifiedCount !== 1) {
    await abandonBatch(batchId);
    return false;
  }
  await SettlementBatchModel.updateOne({ _id: batchId, status: 'preparing' }, { $set: { status: 'committed' } });
  return true;
}

type SettlementSummaryFields = Pick<SettlementDocument, '_id' | 'article' | 'author' | 'payout' | 'returnedToFund' | 'settledAt'> & {
  /** Set on a comment's settlement (absent on settlements stored before comments were paid). */
  comment?: { id?: number | null; article?: Types.ObjectId | null } | null;
  entries: { role?: string | null; liquid?: string | null; power?: string | null }[];
};

/**
 * Makes a committed batch visible: settlements, payments (queued or unclaimed), articles paid. The
 * worker that committed passes its settlements; recovery reads them back.
 */
export async function applyBatch(batchId: string, written?: SettlementSummaryFields[]): Promise<void> {
  await SettlementModel.updateMany({ batch: batchId, status: 'prepared' }, { $set: { status: 'committed' } });
  await PaymentModel.updateMany({ batch: batchId, status: 'prepared', steemAccount: null }, { $set: { status: 'unclaimed' } });
  await PaymentModel.updateMany({ batch: batchId, status: 'prepared' }, { $set: { status: 'queued' } });
  const settlements =
    written ?? (await SettlementModel.find({ batch: batchId }, { article: 1, comment: 1, author: 1, payout: 1, returnedToFund: 1, entries: 1, settledAt: 1 }).lean<SettlementSummaryFields[]>());
  if (settlements.length > 0) {
    // The driver directly: the values are already stored types, and settling is not an edit (updatedAt stays).
    const paid = (settlement: SettlementSummaryFields) => ({
      updateOne: { filter: { _id: settlement.article, settlingBatch: batchId }, update: { $set: { paid: true, payout: payoutSummary(settlement) } } },
    });
    const comments = settlements.filter((s) => s.comment);
    const articles = settlements.filter((s) => !s.comment);
    await Promise.all([
      articles.length > 0 ? ArticleModel.collection.bulkWrite(articles.map(paid), { ordered: false }) : undefined,
      comments.length > 0 ? CommentModel.collection.bulkWrite(comments.map(paid), { ordered: false }) : undefined,
    ]);
    // Processors of these events are idempotent, so a repeated apply does no harm. A comment's names its article.
    await EventModel.insertMany(
      settlements.map((s) => ({
        type: 'payout.settled',
        user: s.author,
        article: s.comment?.article ?? s.article,
        data: { batch: batchId, settlement: s._id.toString(), payout: s.payout, ...(s.comment ? { comment: s.comment.id } : {}) },
        createdAt: new Date(),
      })),
      { lean: true }, // lean inserts skip mongoose's timestamps and defaults: they are written out here
    );
  }
  await SettlementBatchModel.updateOne({ _id: batchId }, { $set: { status: 'applied' } });
}
