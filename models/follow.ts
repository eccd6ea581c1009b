import { Schema, model, type InferSchemaType } from 'mongoose';

const followSchema = new Schema(
  {
    follower: { type: Schema.Types.ObjectId, required: true },
    followee: { type: Schema.Types.ObjectId, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
followSchema.index({ follower: 1, followee: 1 }, { unique: true });
followSchema.index({ followee: 1 });

export type Follow = InferSchemaType<typeof followSchema>;
export const FollowModel = model('Follow', followSchema);
