import { Schema, model } from 'mongoose';

/** How much one vote moved an author's reputation, and when: the data of the "rising" leaderboard. */
const reputationChangeSchema = new Schema(
  {
    op: { type: String, required: true, unique: true },
    user: { type: Schema.Types.ObjectId, required: true },
    /** Raw reputation delta; a float is exact to 2^53 and only ranks. */
    delta: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
reputationChangeSchema.index({ at: -1, user: 1 });

export const ReputationChangeModel = model('ReputationChange', reputationChangeSchema);
