import { Schema, model, type InferSchemaType } from 'mongoose';

export const PAYMENT_STATUSES = ['prepared', 'unclaimed', 'queued', 'assigned', 'included', 'settled', 'held'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * What one recipient is owed from one settlement batch: the sum of their shares in its posts, paid
 * as one `transfer` (liquid) and one `transfer_to_vesting` (power) with memo `inkwell:payout:<batch>`.
 *
 *  prepared → unclaimed (no linked Steem account yet) → queued → assigned (in a signed transaction)
 *  → included (in a block) → settled (irreversible); held when the account does not exist on chain.
 */
const paymentSchema = new Schema(
  {
    /** `<batch>:<user id>` or `<batch>:@<steem account>` (a beneficiary with no Inkwell user). */
    key: { type: String, required: true, unique: true },
    batch: { type: String, required: true },
    user: { type: Schema.Types.ObjectId, default: null },
    username: { type: String, default: null },
    steemAccount: { type: String, default: null },
    liquid: { type: String, required: true },
    power: { type: String, required: true },
    shares: [
      {
        _id: false,
        settlement: Schema.Types.ObjectId,
        /** The post item paid for: an article's id, or a comment's `_id` (then `comment` is the comment's integer id). */
        article: Schema.Types.ObjectId,
        comment: { type: Number, default: undefined },
        slug: String,
        role: String,
        liquid: String,
        power: String,
      },
    ],
    status: { type: String, required: true, enum: PAYMENT_STATUSES },
    transaction: { type: Schema.Types.ObjectId, default: null },
    txId: { type: String, default: null },
    blockNum: { type: Number, default: null },
    heldReason: { type: String, default: null },
    settledAt: { type: Date, default: null },
  },
  { versionKey: false, timestamps: true },
);
paymentSchema.index({ status: 1, _id: 1 });
paymentSchema.index({ batch: 1, status: 1 });
paymentSchema.index({ transaction: 1 });
paymentSchema.index({ user: 1, createdAt: -1 });

export type Payment = InferSchemaType<typeof paymentSchema>;
export const PaymentModel = model('Payment', paymentSchema);
