import { Schema, model, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { postItemFields } from './postItem';

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
    /** RealWorld's favoritesCount: the readers who favorite it, whether or not the vote rules let the favorite be an upvote. */
    favoritesCount: { type: Number, default: 0 },
    commentsCount: { type: Number, default: 0 },
    /** The draft this article was published from (unique: a draft publishes at most once). */
    sourceDraft: { type: Schema.Types.ObjectId, default: undefined },
    /** Number of the latest revision (1 = as first published). */
    revision: { type: Number, default: 1 },
    /** The single payout moment (Steem's cashout_time); whether it was settled, what it paid (the receipt is /api/articles/:slug/payout) and the vote aggregates are the post item's fields. */
    payoutAt: { type: Date, required: true },
    ...postItemFields,
    /** Sort keys (floats): hivemind trending and hot scores (net rshares as a number is `rankRshares`). */
    trendingScore: { type: Number, default: 0 },
    hotScore: { type: Number, default: 0 },
    /** Payout options, settable at creation or before the first vote (docs/rewards.md, "Payout options"). */
    beneficiaries: { type: [{ account: String, weight: Number, _id: false }], default: [] },
    maxAcceptedPayout: { type: String, default: null },
    percentLiquid: { type: Number, default: 10000 },
    allowVotes: { type: Boolean, default: true },
    allowCurationRewards: { type: Boolean, default: true },
    declinePayout: { type: Boolean, default: false },
  },
  { timestamps: true },
);
// Every list query is served by one of these (see README, "Indexes").
articleSchema.index({ createdAt: -1, _id: -1 });
// Lists sort newest first with _id breaking ties ({createdAt: -1, _id: -1}); with _id in the index the
// index order is that sort, so an author's, a tag's and the feed's pages (merged per author) need no sort stage.
articleSchema.index({ author: 1, createdAt: -1, _id: -1 });
articleSchema.index({ tagList: 1, createdAt: -1, _id: -1 });
articleSchema.index({ previousSlugs: 1 });
// Search (`?q=`): the collection's one text index; a word in the title counts most, then tags, the description, the body.
articleSchema.index(
  { title: 'text', tagList: 'text', description: 'text', body: 'text' },
  { name: 'articles_text', weights: { title: 10, tagList: 5, description: 3, body: 1 }, default_language: 'english' },
);
articleSchema.index({ paid: 1, trendingScore: -1 });
articleSchema.index({ paid: 1, hotScore: -1 });
articleSchema.index({ tagList: 1, paid: 1, trendingScore: -1 });
articleSchema.index({ tagList: 1, paid: 1, hotScore: -1 });
articleSchema.index({ paid: 1, payoutAt: 1 });
articleSchema.index({ settlingBatch: 1 }, { partialFilterExpression: { settlingBatch: { $type: 'string' } } });
articleSchema.index({ sourceDraft: 1 }, { unique: true, partialFilterExpression: { sourceDraft: { $exists: true } } });

export type Article = InferSchemaType<typeof articleSchema>;
export type ArticleDocument = HydratedDocument<Article>;
export const ArticleModel = model('Article', articleSchema);
