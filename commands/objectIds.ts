import type { Types } from 'mongoose';

/** The ids without repeats (ObjectIds compare by value, not identity), in first-seen order. */
export function uniqueIds(ids: Types.ObjectId[]): Types.ObjectId[] {
  return [...new Map(ids.map((id) => [id.toString(), id])).values()];
}
