import { Schema, model } from 'mongoose';

/**
 * Domain events for background processors (an outbox): written by commands after their change,
 * read in _id order by each processor from its own cursor. Processing is idempotent, so an event
 * seen twice after a crash changes nothing.
 */
const eventSchema = new Schema(
  {
    type: { type: String, required: true, enum: ['article.published', 'vote.applied', 'payout.settled'] },
    user: { type: Schema.Types.ObjectId, required: true },
    article: { type: Schema.Types.ObjectId, default: null },
    data: { type: Schema.Types.Mixed, default: {} },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

export const EventModel = model('Event', eventSchema);

const cursorSchema = new Schema(
  {
    _id: { type: String, required: true },
    lastEventId: { type: Schema.Types.ObjectId, default: null },
    /** For periodic awards: the start of the last period awarded. */
    lastPeriodStart: { type: Date, default: null },
  },
  { versionKey: false },
);
export const ProcessorCursorModel = model('ProcessorCursor', cursorSchema);
