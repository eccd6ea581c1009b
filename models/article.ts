import { Schema, model, type HydratedDocument, type InferSchemaType } from 'mongoose';

const articleSchema = new Schema(
  {
    slug: { type: String, required: true, unique: true },
    /** Slugs this article had before its title changed; they keep resolving to it. */
    previousSlugs: { type: [String], default: [] },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    body: { type: String, default: '' },
    bodyHtml: { type: String, default: '' },
    rendererVersion: { type: String, default: '' },
    excerpt: { type: String, default: '' },
    readingTimeMinutes: { type: Number, default: 0 },
    images: { type: [String], default: [] },
    tagList: { type: [String], default: [] },
    author: { type: Schema.Types.ObjectId, required: true },
    /** Upvotes (votes with positive weight); RealWorld's favoritesCount. */
    favoritesCount: { type: Number, default: 0 },
    commentsCount: { type: Number, default: 0 },
    /** The draft this article was published from (unique: a draft publishes at most once). */
    sourceDraft: { type: Schema.Types.ObjectId, default: undefined },
    /** Number of the latest revision (1 = as first published). */
    revision: { type: Number, default: 1 },
  },
  { timestamps: true },
);
// Every list query is served by one of these (see README, "Indexes").
articleSchema.index({ createdAt: -1, _id: -1 });
articleSchema.index({ author: 1, createdAt: -1 });
articleSchema.index({ tagList: 1, createdAt: -1 });
articleSchema.index({ previousSlugs: 1 });
articleSchema.index({ sourceDraft: 1 }, { unique: true, partialFilterExpression: { sourceDraft: { $exists: true } } });

export type Article = InferSchemaType<typeof articleSchema>;
export type ArticleDocument = HydratedDocument<Article>;
export const ArticleModel = model('Article', articleSchema);
