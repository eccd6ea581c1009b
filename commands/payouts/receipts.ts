import type { Types } from 'mongoose';
import { formatSteem } from '../../domain/money';
import { PaymentModel, type PaymentStatus } from '../../models/payment';
import { PayoutTransactionModel } from '../../models/payoutTransaction';
import { SettlementModel } from '../../models/settlement';
import type { StoredArticle } from '../articles/findArticle';

const steem = (value: string | null | undefined) => formatSteem(BigInt(value ?? '0'));
const memoOf = (batch: string) => `inkwell:payout:${batch}`;

export type ReceiptStatus = 'pending' | 'broadcasting' | 'settled' | 'held' | 'incomplete';

/** A share of a committed settlement whose payment record cannot be found: nothing says it was paid. */
const MISSING = 'missing';

/** An article's payout as settled: the status across its recipients' payments. */
export function receiptStatus(statuses: readonly PaymentStatus[]): ReceiptStatus {
  if (statuses.includes('held')) return 'held';
  if (statuses.some((s) => s === 'prepared' || s === 'queued' || s === 'unclaimed')) return 'pending';
  if (statuses.some((s) => s === 'assigned' || s === 'included')) return 'broadcasting';
  return 'settled';
}

interface PaymentRow {
  _id: Types.ObjectId;
  user?: Types.ObjectId | null;
  steemAccount?: string | null;
  status: PaymentStatus;
  heldReason?: string | null;
  txId?: string | null;
  blockNum?: number | null;
  batch: string;
  settledAt?: Date | null;
}

/**
 * The receipt of an article's payout: the settlement's inputs (votes, fund snapshot, policy), each
 * recipient's share with its payment's status, and the transactions that carried them, so anyone
 * can check every amount against the chain.
 */
export async function articlePayoutReceipt(article: StoredArticle) {
  return postPayoutReceipt({ _id: article._id, slug: article.slug, payoutAt: article.payoutAt });
}

/** The receipt of a comment's payout (a comment is a post item, settled like an article): named by its article's slug and its id. */
export async function commentPayoutReceipt(article: Pick<StoredArticle, 'slug'>, comment: { _id: Types.ObjectId; id: number; payoutAt: Date }) {
  return postPayoutReceipt({ _id: comment._id, slug: article.slug, payoutAt: comment.payoutAt, comment: comment.id });
}

/** The receipt of a post item's payout: an article's, or (with `comment`) a comment's. */
async function postPayoutReceipt(post: { _id: Types.ObjectId; slug: string; payoutAt: Date; comment?: number }) {
  const named = { article: post.slug, ...(post.comment === undefined ? {} : { comment: post.comment }) };
  const settlement = await SettlementModel.findOne({ article: post._id, status: 'committed' }).lean();
  if (!settlement) {
    return { ...named, status: 'pending' as ReceiptStatus, payoutAt: post.payoutAt.toISOString(), settlement: null, shares: [], transactions: [] };
  }
  // A settlement's recipients were paid by its batch's payments, keyed `<batch>:u:<user>` or `<batch>:@<account>`.
  const keys = settlement.entries.map((entry) => `${settlement.batch}:${entry.user ? `u:${entry.user.toString()}` : `@${entry.steemAccount}`}`);
  const payments = await PaymentModel.find({ key: { $in: [...new Set(keys)] } }, { user: 1, steemAccount: 1, status: 1, heldReason: 1, txId: 1, blockNum: 1, batch: 1, settledAt: 1 }).lean<PaymentRow[]>();
  const paymentFor = (entry: { user?: Types.ObjectId | null; steemAccount?: string | null }) =>
    payments.find((p) => (entry.user ? p.user?.equals(entry.user) : !p.user && p.steemAccount === entry.steemAccount));
  const txIds = [...new Set(payments.map((p) => p.txId).filter((id): id is string => Boolean(id)))];
  const transactions = txIds.length > 0 ? await PayoutTransactionModel.find({ txId: { $in: txIds } }, { txId: 1, blockNum: 1, status: 1 }).lean() : [];
  const { inputs } = settlement;
  return {
    ...named,
    status: settlement.entries.some((entry) => !paymentFor(entry)) ? ('incomplete' as const) : receiptStatus(payments.map((p) => p.status)),
    payoutAt: post.payoutAt.toISOString(),
    settlement: {
      id: settlement._id.toString(),
      batch: settlement.batch,
      settledAt: settlement.settledAt.toISOString(),
      policyVersion: settlement.policyVersion,
      outcome: settlement.outcome,
      inputs: {
        netRshares: inputs?.netRshares ?? '0',
        claims: settlement.claims,
        totalVoteWeight: inputs?.totalVoteWeight ?? '0',
        fund: { rewardBalance: steem(settlement.fund?.rewardBalance), recentClaims: settlement.fund?.recentClaims ?? '0' },
        maxAcceptedPayout: steem(inputs?.maxAcceptedPayout),
        percentLiquid: inputs?.percentLiquid ?? 10000,
        allowCurationRewards: inputs?.allowCurationRewards ?? true,
        declinePayout: inputs?.declinePayout ?? false,
        beneficiaries: (inputs?.beneficiaries ?? []).map((b) => ({ account: b.account, weight: b.weight })),
        votes: (inputs?.votes ?? []).map((v) => ({ voter: v.username, rshares: v.rshares, curationWeight: v.curationWeight })),
      },
      uncappedPayout: steem(settlement.uncappedPayout),
      payout: steem(settlement.payout),
      curationTokens: steem(settlement.curationTokens),
      authorTokens: steem(settlement.authorTokens),
      returnedToFund: steem(settlement.returnedToFund),
      distributed: steem(settlement.distributed),
    },
    shares: settlement.entries.map((entry) => {
      const payment = paymentFor(entry);
      return {
        recipient: entry.username ?? null,
        steemAccount: payment?.steemAccount ?? entry.steemAccount ?? null,
        role: entry.role,
        liquid: steem(entry.liquid),
        power: steem(entry.power),
        status: payment?.status ?? MISSING,
        heldReason: payment?.heldReason ?? null,
        memo: memoOf(settlement.batch),
        transactionId: payment?.txId ?? null,
        blockNum: payment?.blockNum ?? null,
      };
    }),
    transactions: transactions.map((t) => ({ id: t.txId, blockNum: t.blockNum, irreversible: t.status === 'irreversible' })),
  };
}

/** A user's payments, newest first: one per settlement batch, with the shares it carries. */
export async function userPayouts(user: Types.ObjectId, window: { limit: number; offset: number }) {
  const [payments, count] = await Promise.all([
    PaymentModel.find({ user, status: { $ne: 'prepared' } }).sort({ createdAt: -1, _id: -1 }).skip(window.offset).limit(window.limit).lean(),
    PaymentModel.countDocuments({ user, status: { $ne: 'prepared' } }),
  ]);
  return {
    payouts: payments.map((p) => ({
      id: p._id.toString(),
      batch: p.batch,
      status: p.status,
      steemAccount: p.steemAccount ?? null,
      liquid: steem(p.liquid),
      power: steem(p.power),
      total: formatSteem(BigInt(p.liquid) + BigInt(p.power)),
      memo: memoOf(p.batch),
      transactionId: p.txId ?? null,
      blockNum: p.blockNum ?? null,
      heldReason: p.heldReason ?? null,
      createdAt: (p.createdAt as Date).toISOString(),
      settledAt: p.settledAt ? p.settledAt.toISOString() : null,
      shares: p.shares.map((s) => ({ article: s.slug, ...(s.comment != null ? { comment: s.comment } : {}), role: s.role, liquid: steem(s.liquid), power: steem(s.power) })),
    })),
    payoutsCount: count,
  };
}
