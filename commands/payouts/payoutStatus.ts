import { formatSteem } from '../../domain/money';
import { ArticleModel } from '../../models/article';
import { CommentModel } from '../../models/comment';
import { PaymentModel } from '../../models/payment';
import { PayoutTransactionModel } from '../../models/payoutTransaction';
import { SettlementModel } from '../../models/settlement';
import { SettlementBatchModel } from '../../models/settlementBatch';
import { transferState } from './payoutState';
import { ordinal } from '../../lib/ordinal';

async function countByStatus(model: { aggregate: typeof PaymentModel.aggregate }): Promise<Record<string, number>> {
  const rows = await model.aggregate<{ _id: string; count: number }>([{ $group: { _id: '$status', count: { $sum: 1 } } }]);
  return Object.fromEntries(rows.map((row) => [row._id, row.count]).sort(([a], [b]) => ordinal(String(a), String(b))));
}

/** Operators' view: what is due, settled, queued, in flight and held, and whether transfers run. */
export async function payoutStatus(now: Date) {
  const [state, dueArticles, dueComments, settlements, batches, payments, transactions, outstanding] = await Promise.all([
    transferState(),
    ArticleModel.countDocuments({ paid: false, payoutAt: { $lte: now } }),
    CommentModel.countDocuments({ paid: false, payoutAt: { $lte: now } }),
    SettlementModel.countDocuments({ status: 'committed' }),
    countByStatus(SettlementBatchModel as never),
    countByStatus(PaymentModel),
    countByStatus(PayoutTransactionModel as never),
    PaymentModel.find({ status: { $in: ['unclaimed', 'queued', 'assigned', 'included', 'held'] } }, { liquid: 1, power: 1 }).lean(),
  ]);
  const owed = outstanding.reduce((sum, p) => sum + BigInt(p.liquid) + BigInt(p.power), 0n);
  return {
    paused: state.paused,
    pausedReason: state.reason,
    pausedSince: state.since ? state.since.toISOString() : null,
    /** Post items due: articles and comments. */
    duePosts: dueArticles + dueComments,
    settlements,
    batches,
    payments,
    transactions,
    outstanding: formatSteem(owed),
  };
}
