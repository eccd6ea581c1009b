import { Schema, model, type InferSchemaType } from 'mongoose';

/** The content of an article as it stood after each edit; number 1 is the original. */
const revisionSchema = new Schema(
  {
    article: { type: Schema.Types.ObjectId, required: true },
    number: { type: Number, required: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    body: { type: String, default: '' },
    tagList: { type: [String], default: [] },
    editor: { type: Schema.Types.ObjectId, required: true },
    /**
     * Unified diff against the revision before, computed once when saved (or, for revisions stored
     * before diffs were, on first read). Absent: not computed yet; null: too large (diffTruncated).
     */
    diff: { type: String, default: undefined },
    diffTruncated: { type: Boolean, default: undefined },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
revisionSchema.index({ article: 1, number: 1 }, { unique: true });

export type Revision = InferSchemaType<typeof revisionSchema>;
export const RevisionModel = model('Revision', revisionSchema);
