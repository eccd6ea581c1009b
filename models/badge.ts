import { Schema, model, type InferSchemaType } from 'mongoose';

/** A badge a user earned: once per user and badge. */
const badgeSchema = new Schema(
  {
    user: { type: Schema.Types.ObjectId, required: true },
    badge: { type: String, required: true },
    reason: { type: String, required: true },
    awardedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
badgeSchema.index({ user: 1, badge: 1 }, { unique: true });
badgeSchema.index({ user: 1, awardedAt: -1 });

export type Badge = InferSchemaType<typeof badgeSchema>;
export const BadgeModel = model('Badge', badgeSchema);
