import { Schema, model } from 'mongoose';

/**
 * How many articles each author has, kept with $inc as articles are published and deleted, so a
 * list's `articlesCount` (an author's page, the feed) is read, not counted (docs/architecture.md,
 * "Stored counts").
 */
const authorArticleCountSchema = new Schema({ _id: { type: Schema.Types.ObjectId, required: true }, count: { type: Number, default: 0 } }, { versionKey: false });

export const AuthorArticleCountModel = model('AuthorArticleCount', authorArticleCountSchema);
