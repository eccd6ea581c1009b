import { Schema, model } from 'mongoose';

/**
 * One settlement run: the posts that share a fund snapshot. It commits by moving the reward fund's
 * version on (compare-and-set) with its id in `recentBatches`; until then it is `preparing` and may
 * be abandoned. `committed` batches are then applied (settlements, payments, articles) idempotently.
 */
const settlementBatchSchema = new Schema(
  {
    _id: { type: String, required: true },
    status: { type: String, required: true, enum: ['preparing', 'committed', 'applied', 'abandoned'] },
    owner: { type: String, required: true },
    /** The fund version the batch was computed from; it commits only from this version. */
    fundVersion: { type: Number, required: true },
    articles: { type: [Schema.Types.ObjectId], default: [] },
    settledAt: { type: Number, required: true },
    policyVersion: { type: String, default: '' },
    payoutBasis: { rewardBalance: String, recentClaims: String },
    totals: { posts: Number, payout: String, distributed: String, returnedToFund: String, payments: Number },
  },
  { versionKey: false, timestamps: true },
);
settlementBatchSchema.index({ status: 1 });

export const SettlementBatchModel = model('SettlementBatch', settlementBatchSchema);
