import { Schema, model } from 'mongoose';

/** `muter` no longer sees `muted`'s posts, comments or notifications. */
const muteSchema = new Schema(
  { muter: { type: Schema.Types.ObjectId, required: true }, muted: { type: Schema.Types.ObjectId, required: true } },
  { timestamps: { createdAt: true, updatedAt: false } },
);
muteSchema.index({ muter: 1, muted: 1 }, { unique: true });

export const MuteModel = model('Mute', muteSchema);
