import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * A server-side draft. `status` moves draft → publishing → published; the claim to publish is one
 * atomic update, and the article it creates carries the draft's id under a unique index, so a
 * draft is published exactly once even when a scheduler dies halfway and another takes over.
 */
const draftSchema = new Schema(
  {
    author: { type: Schema.Types.ObjectId, required: true },
    title: { type: String, default: '' },
    description: { type: String, default: '' },
    body: { type: String, default: '' },
    tagList: { type: [String], default: [] },
    publishAt: { type: Date, default: null },
    status: { type: String, enum: ['draft', 'publishing', 'published'], default: 'draft' },
    claimedUntil: { type: Date, default: null },
    articleSlug: { type: String, default: null },
    publishError: { type: String, default: null },
  },
  { timestamps: true },
);
draftSchema.index({ author: 1, updatedAt: -1 });
draftSchema.index({ status: 1, publishAt: 1 });

export type Draft = InferSchemaType<typeof draftSchema>;
export const DraftModel = model('Draft', draftSchema);
