import { Schema, model } from 'mongoose';

/** The platform's single reward fund ("post"), amounts as decimal strings of integers. */
const rewardFundSchema = new Schema(
  {
    _id: { type: String, required: true },
    rewardBalance: { type: String, required: true },
    recentClaims: { type: String, required: true },
    lastUpdate: { type: Number, required: true },
    accruedUntil: { type: Number, required: true },
    accrualRemainder: { type: String, required: true },
    /** Compare-and-set version: a settlement batch commits by moving it on. */
    version: { type: Number, default: 0 },
    /** Settlement batches committed by moving the version on (the newest 100). */
    recentBatches: { type: [String], default: [] },
  },
  { versionKey: false },
);

export const RewardFundModel = model('RewardFund', rewardFundSchema);
export const REWARD_FUND_ID = 'post';
