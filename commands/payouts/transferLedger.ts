/**
 * The transitions of a payout transaction and its payments that both building and following take
 * (docs/payouts.md, "Transfers"): sending signed bytes, recording an inclusion, releasing payments.
 */
import type { Types } from 'mongoose';
import { DuplicateTransaction, InsufficientFunds, MissingAuthority, UnknownAccount, type SignedTransaction } from '../../chain';
import { PaymentModel } from '../../models/payment';
import { PayoutTransactionModel } from '../../models/payoutTransaction';
import { pauseTransfers } from './payoutState';
import type { TransferContext } from './transferContext';

export interface StoredTransaction {
  _id: Types.ObjectId;
  txId: string;
  signed: SignedTransaction;
}

/** Sends the stored signed bytes. Any doubt about the outcome is settled later by looking the id up. */
export async function broadcastStored(context: TransferContext, tx: StoredTransaction): Promise<void> {
  await PayoutTransactionModel.updateOne({ _id: tx._id }, { $inc: { broadcasts: 1 } });
  try {
    const result = await context.chain.broadcastTransaction(tx.signed);
    await markIncluded(tx._id, tx.txId, result.blockNum, result.trxNum);
  } catch (error) {
    // Accepted by an earlier attempt: the lookup confirms where.
    if (error instanceof DuplicateTransaction) return;
    const message = error instanceof Error ? error.message : String(error);
    await PayoutTransactionModel.updateOne({ _id: tx._id }, { $set: { lastError: message.slice(0, 500) } });
    if (error instanceof InsufficientFunds) {
      await pauseTransfers(context.logger, `treasury ${context.treasury.account} has insufficient STEEM for transaction ${tx.txId}; transfers resume when it is funded`);
    } else if (error instanceof MissingAuthority) {
      context.logger.error({ tx: tx.txId }, 'the treasury key does not satisfy the active authority: check TREASURY_ACTIVE_KEY');
    } else if (!(error instanceof UnknownAccount)) {
      context.logger.warn({ tx: tx.txId, reason: message }, 'broadcast outcome unknown; the transaction id will be looked up');
    }
  }
}

export async function markIncluded(id: Types.ObjectId, txId: string, blockNum: number, trxNum: number): Promise<void> {
  // Payments first: if this stops half way the transaction is still `signed` and is looked up again.
  await PaymentModel.updateMany({ transaction: id, status: 'assigned' }, { $set: { status: 'included', txId, blockNum } });
  await PayoutTransactionModel.updateOne({ _id: id, status: 'signed' }, { $set: { status: 'included', blockNum, trxNum } });
}

/** Queues a dead transaction's payments again, for a new transaction under a new id. */
export async function releasePayments(transaction: Types.ObjectId): Promise<void> {
  await PaymentModel.updateMany({ transaction, status: 'assigned' }, { $set: { status: 'queued', transaction: null } });
}
