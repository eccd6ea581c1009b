import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * One record per voter and post item: the vote (a RealWorld favorite is a 10000 bp upvote when the
 * rules allow it) and, on articles, the favorite. A post item is an article or a comment (on Steem a
 * reply is a post): `article` is the id of the item voted on (the article's, or the comment's `_id`),
 * and `comment` says which comment and on which article, for comment votes only (absent on article votes).
 */
const voteSchema = new Schema(
  {
    article: { type: Schema.Types.ObjectId, required: true },
    /** On a comment vote: the comment's integer id and its article. Comment votes are never favorites. */
    comment: { type: { id: Number, article: Schema.Types.ObjectId, _id: false }, default: undefined },
    voter: { type: Schema.Types.ObjectId, required: true },
    /** Basis points, -10000..10000; 0 means the vote was removed. */
    weight: { type: Number, required: true },
    changes: { type: Number, default: 0 },
    rshares: { type: String, default: '0' },
    /** w_i (after the reverse-auction penalty); 0 once the vote is changed. */
    curationWeight: { type: String, default: '0' },
    /**
     * The voter's RealWorld favorite, which the favorite routes set exactly as asked even when the
     * vote rules refuse the upvote (or the removal) that goes with it; the votes API keeps it equal
     * to `weight > 0`. A record with weight 0 and no changes is a favorite that never was a vote.
     */
    favorite: { type: Boolean, default: false },
    /** Why the favorite's upvote (or the unfavorite's removal) was not applied: the vote rule's code, or null. */
    favoriteRefusal: { type: String, default: null },
    /** The pending operation that last wrote this vote (makes replays no-ops). */
    lastOp: { type: String, default: null },
  },
  { timestamps: true },
);
voteSchema.index({ article: 1, voter: 1 }, { unique: true });
voteSchema.index({ voter: 1, weight: 1, createdAt: -1 });
// `GET /api/articles?favorited=`: a user's favorites, most recent first.
voteSchema.index({ voter: 1, favorite: 1, createdAt: -1 });

export type Vote = InferSchemaType<typeof voteSchema>;
export const VoteModel = model('Vote', voteSchema);
