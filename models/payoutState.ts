import { Schema, model } from 'mongoose';

/** Shared payout state across worker processes: whether transfers are paused, and why. */
const payoutStateSchema = new Schema(
  {
    _id: { type: String, required: true },
    paused: { type: Boolean, default: false },
    reason: { type: String, default: null },
    since: { type: Date, default: null },
  },
  { versionKey: false },
);

export const PayoutStateModel = model('PayoutState', payoutStateSchema);
export const PAYOUT_STATE_ID = 'payouts';
