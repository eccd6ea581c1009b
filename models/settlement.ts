import { Schema, model, type InferSchemaType } from 'mongoose';

const amount = { type: String, required: true };

/**
 * The settlement of one post item (an article or a comment): its inputs exactly as paid (votes, fund snapshot, policy version) and
 * its ledger entries. Unique per post item: a post is settled once. Amounts are integer strings in
 * 0.001 STEEM.
 */
const settlementSchema = new Schema(
  {
    /** The post item settled: an article's id, or a comment's `_id` (then `comment` says which comment, on which article). */
    article: { type: Schema.Types.ObjectId, required: true, unique: true },
    comment: { type: { id: Number, article: Schema.Types.ObjectId, _id: false }, default: null },
    slug: { type: String, required: true },
    author: { type: Schema.Types.ObjectId, required: true },
    batch: { type: String, required: true },
    status: { type: String, required: true, enum: ['prepared', 'committed'] },
    policyVersion: { type: String, required: true },
    settledAt: { type: Date, required: true },
    inputs: {
      netRshares: String,
      totalVoteWeight: String,
      maxAcceptedPayout: String,
      percentLiquid: Number,
      allowCurationRewards: Boolean,
      declinePayout: Boolean,
      beneficiaries: [{ account: String, weight: Number, _id: false }],
      votes: [{ user: Schema.Types.ObjectId, username: String, rshares: String, curationWeight: String, _id: false }],
    },
    fund: { rewardBalance: String, recentClaims: String },
    claims: amount,
    outcome: { type: String, required: true },
    uncappedPayout: amount,
    payout: amount,
    curationTokens: amount,
    authorTokens: amount,
    returnedToFund: amount,
    distributed: amount,
    entries: [
      {
        _id: false,
        role: { type: String, enum: ['author', 'curator', 'beneficiary'] },
        user: { type: Schema.Types.ObjectId, default: null },
        username: { type: String, default: null },
        steemAccount: { type: String, default: null },
        liquid: String,
        power: String,
      },
    ],
  },
  { versionKey: false },
);
settlementSchema.index({ batch: 1 });
// Leaderboards and weekly top-10 badges: settlements of a period.
settlementSchema.index({ settledAt: 1 });

export type Settlement = InferSchemaType<typeof settlementSchema>;
export const SettlementModel = model('Settlement', settlementSchema);
