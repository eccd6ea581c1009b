/**
 * Following payout transfers to the end (docs/payouts.md, "Transfers"): after any doubt (timeout,
 * dropped response, failover, crash) a stored transaction's id is looked up; while it has not
 * expired the same signed bytes may be sent again (steemd rejects a second copy as a duplicate);
 * only once an irreversible block is past its expiration without it are its payments released and
 * signed anew under a new id. A payment is settled when its transaction's block is irreversible.
 */
import type { Types } from 'mongoose';
import { parseChainTime, type ChainClient, type SignedTransaction } from '../../chain';
import { PaymentModel } from '../../models/payment';
import { PayoutTransactionModel } from '../../models/payoutTransaction';
import { notifyPaymentsSettled } from './paymentNotifications';
import { runLimited, type TransferContext } from './transferContext';
import { broadcastStored, markIncluded, releasePayments } from './transferLedger';

export interface ChainSnapshot {
  headBlock: number;
  headTime: number;
  lastIrreversibleBlock: number;
  lastIrreversibleTime: number;
}

export async function chainSnapshot(chain: ChainClient): Promise<ChainSnapshot> {
  const properties = await chain.getDynamicGlobalProperties();
  const lib = properties.last_irreversible_block_num;
  const block = lib > 0 ? await chain.getBlock(lib) : null;
  return { headBlock: properties.head_block_number, headTime: parseChainTime(properties.time), lastIrreversibleBlock: lib, lastIrreversibleTime: block ? parseChainTime(block.timestamp) : 0 };
}

export type TransferProgress = { included: number; settled: number; expired: number };

/** Moves every signed or included transaction this worker can lease one step towards settled. */
export async function progressTransactions(context: TransferContext): Promise<TransferProgress> {
  const now = context.now();
  const open = await PayoutTransactionModel.find({ status: { $in: ['signed', 'included'] }, $or: [{ owner: context.owner }, { leaseUntil: { $lte: now } }] }, { _id: 1, txId: 1 })
    .sort({ _id: 1 })
    .lean();
  const counts: TransferProgress = { included: 0, settled: 0, expired: 0 };
  if (open.length === 0) return counts;
  const snapshot = await chainSnapshot(context.chain);
  const lookedUpAt = context.lookedUpAt;
  const due = lookedUpAt ? open.filter((candidate) => !candidate.txId || lookedUpAt.get(candidate.txId) !== snapshot.headBlock) : open;
  const tasks = due.map((candidate) => async () => {
    // The signed transaction itself is large and needed only to send it again: left out here.
    const tx = await PayoutTransactionModel.findOneAndUpdate(
      { _id: candidate._id, status: { $in: ['signed', 'included'] }, $or: [{ owner: context.owner }, { leaseUntil: { $lte: context.now() } }] },
      { $set: { owner: context.owner, leaseUntil: new Date(context.now().getTime() + context.settings.leaseMs) } },
      { returnDocument: 'after', projection: { _id: 1, txId: 1, status: 1, expiration: 1, blockNum: 1 } },
    ).lean();
    if (!tx || !tx.txId) return;
    const outcome = await progressOne(context, { _id: tx._id, txId: tx.txId, status: tx.status, expiration: tx.expiration! }, snapshot);
    if (outcome) counts[outcome] += 1;
    if (outcome === 'settled' || outcome === 'expired') lookedUpAt?.delete(tx.txId);
    else lookedUpAt?.set(tx.txId, snapshot.headBlock);
  });
  await runLimited(tasks, context.settings.concurrency);
  return counts;
}

async function progressOne(
  context: TransferContext,
  tx: { _id: Types.ObjectId; txId: string; status: string; expiration: Date },
  snapshot: ChainSnapshot,
): Promise<keyof TransferProgress | null> {
  const found = await context.chain.findTransaction(tx.txId);
  if (tx.status === 'included') {
    if (!found) {
      // Its block was undone: back to waiting for the same id (or its expiry).
      await PayoutTransactionModel.updateOne({ _id: tx._id, status: 'included' }, { $set: { status: 'signed', blockNum: null, trxNum: null } });
      await PaymentModel.updateMany({ transaction: tx._id, status: 'included' }, { $set: { status: 'assigned', blockNum: null } });
      return null;
    }
    if (found.blockNum > snapshot.lastIrreversibleBlock) return null;
    await PaymentModel.updateMany({ transaction: tx._id, status: { $in: ['assigned', 'included'] } }, { $set: { status: 'settled', txId: tx.txId, blockNum: found.blockNum, settledAt: context.now() } });
    await notifyPaymentsSettled(tx._id); // before the transaction is final, so a crash here repeats it
    await PayoutTransactionModel.updateOne({ _id: tx._id, status: 'included' }, { $set: { status: 'irreversible', blockNum: found.blockNum, trxNum: found.trxNum } });
    return 'settled';
  }
  if (found) {
    await markIncluded(tx._id, tx.txId, found.blockNum, found.trxNum);
    return 'included';
  }
  const expiration = tx.expiration.getTime();
  if (expiration <= snapshot.lastIrreversibleTime) {
    // Every block that could have carried it is irreversible and none did: it never will.
    const expired = await PayoutTransactionModel.updateOne({ _id: tx._id, status: 'signed' }, { $set: { status: 'expired' } });
    if (expired.modifiedCount === 1) await releasePayments(tx._id);
    context.logger.info({ tx: tx.txId }, 'transaction expired without being included; its payments are queued for a new one');
    return 'expired';
  }
  // Not seen and still valid: the same bytes again (a duplicate answer means it was accepted).
  if (expiration > snapshot.headTime) {
    const stored = await PayoutTransactionModel.findById(tx._id, { signed: 1 }).lean();
    if (stored?.signed) await broadcastStored(context, { _id: tx._id, txId: tx.txId, signed: stored.signed as SignedTransaction });
  }
  return null;
}
