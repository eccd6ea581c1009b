import { Schema, model, type InferSchemaType } from 'mongoose';
import { postItemFields } from './postItem';

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
    /*
     * A comment is a post item as on Steem: voted and paid like an article, by the same vote engine
     * and settlement batches (docs/rewards.md, "Comments"). The fields below mean what the article's
     * fields of the same names mean (models/article.ts). Comments have no payout options of their
     * own: no beneficiaries, the policy's maximum payout, all liquid, votes and curation allowed.
     */
    /** The comment's own payout moment: its creation plus the payout window (null on comments stored before comment payouts: see the data migrations). */
    payoutAt: { type: Date, default: null },
    ...postItemFields,
  },
  { timestamps: true },
);
commentSchema.index({ article: 1, createdAt: 1 });
// Settlement: the due comments, in payout order, and a batch's claimed comments (as for articles).
commentSchema.index({ paid: 1, payoutAt: 1 });
commentSchema.index({ settlingBatch: 1 }, { partialFilterExpression: { settlingBatch: { $type: 'string' } } });
// Gamification: an author's comments with positive net rshares.
commentSchema.index({ author: 1, rankRshares: 1 });

export type Comment = InferSchemaType<typeof commentSchema>;
export const CommentModel = model('Comment', commentSchema);
