import { Schema, model } from 'mongoose';

/** A user re-sharing an article with their followers (Steem's "resteem"). */
const reblogSchema = new Schema(
  { user: { type: Schema.Types.ObjectId, required: true }, article: { type: Schema.Types.ObjectId, required: true } },
  { timestamps: { createdAt: true, updatedAt: false } },
);
reblogSchema.index({ user: 1, article: 1 }, { unique: true });
reblogSchema.index({ user: 1, createdAt: -1 });
reblogSchema.index({ article: 1 });

export const ReblogModel = model('Reblog', reblogSchema);
