import { Schema, model } from 'mongoose';

/** How many articles use each tag, kept with $inc as articles are created, edited and deleted (docs/architecture.md, "Stored counts"). */
const tagSchema = new Schema({ _id: { type: String, required: true }, count: { type: Number, default: 0 } }, { versionKey: false });
tagSchema.index({ count: -1, _id: 1 });

export const TagModel = model('Tag', tagSchema);
