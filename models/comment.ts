import { Schema, model, type InferSchemaType } from 'mongoose';

const commentSchema = new Schema(
  {
    /** RealWorld comment ids are integers: allocated from the `comments` counter. */
    id: { type: Number, required: true, unique: true },
    article: { type: Schema.Types.ObjectId, required: true },
    author: { type: Schema.Types.ObjectId, required: true },
    body: { type: String, required: true },
    bodyHtml: { type: String, default: '' },
    parentId: { type: Number, default: null },
    depth: { type: Number, default: 0 },
  },
  { timestamps: true },
);
commentSchema.index({ article: 1, createdAt: 1 });

export type Comment = InferSchemaType<typeof commentSchema>;
export const CommentModel = model('Comment', commentSchema);
