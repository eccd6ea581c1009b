import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * Every slug any article has ever held, with that article: `_id` is the slug, so the unique `_id`
 * index gives each slug to one article for good (a title change, or deleting the article, does not
 * free it). Inserted before the article takes the slug (commands/articles/allocateSlug.ts).
 */
const slugSchema = new Schema(
  {
    _id: { type: String, required: true },
    article: { type: Schema.Types.ObjectId, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);

export type SlugReservation = InferSchemaType<typeof slugSchema>;
export const SlugModel = model('Slug', slugSchema, 'slugs');
