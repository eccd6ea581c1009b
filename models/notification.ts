import { Schema, model, type InferSchemaType } from 'mongoose';

export const NOTIFICATION_TYPES = ['vote', 'reply', 'mention', 'follow', 'reblog', 'payout', 'badge'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

const notificationSchema = new Schema(
  {
    recipient: { type: Schema.Types.ObjectId, required: true },
    type: { type: String, enum: NOTIFICATION_TYPES, required: true },
    actor: { type: Schema.Types.ObjectId, default: null },
    article: { type: Schema.Types.ObjectId, default: null },
    commentId: { type: Number, default: null },
    /** Type-specific details (vote weight, payout amount, badge name, ...). */
    data: { type: Schema.Types.Mixed, default: {} },
    /** Makes an event's notification idempotent (e.g. one "payout" per settlement and recipient). */
    dedupeKey: { type: String, default: undefined },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
notificationSchema.index({ recipient: 1, createdAt: -1, _id: -1 });
notificationSchema.index({ dedupeKey: 1 }, { unique: true, partialFilterExpression: { dedupeKey: { $type: 'string' } } });

export type Notification = InferSchemaType<typeof notificationSchema>;
export const NotificationModel = model('Notification', notificationSchema);
