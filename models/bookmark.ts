import { Schema, model } from 'mongoose';

const bookmarkSchema = new Schema(
  {
    user: { type: Schema.Types.ObjectId, required: true },
    article: { type: Schema.Types.ObjectId, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
bookmarkSchema.index({ user: 1, article: 1 }, { unique: true });
bookmarkSchema.index({ user: 1, createdAt: -1 });

export const BookmarkModel = model('Bookmark', bookmarkSchema);
