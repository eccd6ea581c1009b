import { Schema, model } from 'mongoose';

/** A treasury transaction found on chain that the payout worker did not make, acknowledged by `reconcile --fix`. */
const chainTransferRecordSchema = new Schema(
  {
    txId: { type: String, required: true, unique: true },
    block: { type: Number, required: true },
    operations: { type: [String], default: [] },
    note: { type: String, default: '' },
  },
  { versionKey: false, timestamps: true },
);

export const ChainTransferRecordModel = model('ChainTransferRecord', chainTransferRecordSchema);
