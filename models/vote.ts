import { Schema, model, type InferSchemaType } from 'mongoose';

/** One record per voter and article (a RealWorld favorite is a 10000 bp upvote). */
const voteSchema = new Schema(
  {
    article: { type: Schema.Types.ObjectId, required: true },
    voter: { type: Schema.Types.ObjectId, required: true },
    /** Basis points, -10000..10000; 0 means the vote was removed. */
    weight: { type: Number, required: true },
    changes: { type: Number, default: 0 },
    rshares: { type: String, default: '0' },
    /** w_i (after the reverse-auction penalty); 0 once the vote is changed. */
    curationWeight: { type: String, default: '0' },
    /** The pending operation that last wrote this vote (makes replays no-ops). */
    lastOp: { type: String, default: null },
  },
  { timestamps: true },
);
voteSchema.index({ article: 1, voter: 1 }, { unique: true });
voteSchema.index({ voter: 1, weight: 1, createdAt: -1 });

export type Vote = InferSchemaType<typeof voteSchema>;
export const VoteModel = model('Vote', voteSchema);
