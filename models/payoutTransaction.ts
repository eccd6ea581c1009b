import { Schema, model, type InferSchemaType } from 'mongoose';

export const PAYOUT_TRANSACTION_STATUSES = ['building', 'signed', 'included', 'irreversible', 'expired', 'abandoned'] as const;

/**
 * A treasury transaction carrying payments. The signed transaction, its locally computed id and its
 * expiration are stored before the first broadcast, so whoever holds the lease after a crash knows
 * exactly which id to look up, and a new transaction for the same payments is signed only once this
 * one has expired unincluded.
 *
 *  building → signed → included (block number known) → irreversible
 *  building → abandoned (its builder stopped before signing); signed → expired (payments re-queued)
 */
const payoutTransactionSchema = new Schema(
  {
    status: { type: String, required: true, enum: PAYOUT_TRANSACTION_STATUSES },
    owner: { type: String, required: true },
    leaseUntil: { type: Date, required: true },
    payments: { type: [Schema.Types.ObjectId], default: [] },
    txId: { type: String, default: null },
    expiration: { type: Date, default: null },
    signed: { type: Schema.Types.Mixed, default: null },
    operations: { type: Number, default: 0 },
    liquid: { type: String, default: '0' },
    power: { type: String, default: '0' },
    blockNum: { type: Number, default: null },
    trxNum: { type: Number, default: null },
    broadcasts: { type: Number, default: 0 },
    lastError: { type: String, default: null },
  },
  { versionKey: false, timestamps: true },
);
payoutTransactionSchema.index({ txId: 1 }, { unique: true, partialFilterExpression: { txId: { $type: 'string' } } });
payoutTransactionSchema.index({ status: 1, leaseUntil: 1 });

export type PayoutTransaction = InferSchemaType<typeof payoutTransactionSchema>;
export const PayoutTransactionModel = model('PayoutTransaction', payoutTransactionSchema);
