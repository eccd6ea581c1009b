import { Schema, model } from 'mongoose';

/** A single-use text a user signs with a key of their Steem account to prove they control it. */
const challengeSchema = new Schema(
  {
    user: { type: Schema.Types.ObjectId, required: true },
    challenge: { type: String, required: true, unique: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
challengeSchema.index({ user: 1, createdAt: -1 });
// A real mongod removes expired challenges; elsewhere they are simply refused by expiresAt.
challengeSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 3600 });

export const SteemLinkChallengeModel = model('SteemLinkChallenge', challengeSchema);
