import type { Document, UpdateFilter } from 'mongodb';
import { Types } from 'mongoose';
import { isDuplicateKeyError } from '../duplicateKey';

/*
 * The vote batch reads and writes through the driver (`Model.collection`) instead of mongoose's
 * models: casting and validating each operation of a bulk write cost about 100 µs per vote, more than
 * the rest of the batch. The write builders already produce stored types (ObjectIds, strings, Dates);
 * these add what mongoose's timestamps and version key would, so the documents are the same either way
 * (test/api/votes.test.ts compares them).
 */

type Update = { $set?: Record<string, unknown> } & Record<string, unknown>;

/** An update of a model with `timestamps: true`. */
export function touched(update: Update, now: Date): UpdateFilter<Document> {
  // The driver's update types cannot see through `$push` with `$each` on an untyped collection.
  return { ...update, $set: { ...update.$set, updatedAt: now } } as UpdateFilter<Document>;
}

/** An upsert of a model with `timestamps: true` and a version key. */
export function upserted(update: Update, now: Date): UpdateFilter<Document> {
  return { ...touched(update, now), $setOnInsert: { ...(update.$setOnInsert as Record<string, unknown> | undefined), createdAt: now, __v: 0 } };
}

/** A new document of a model with a `createdAt` timestamp and a version key, its schema defaults first. */
export function inserted<T extends object>(doc: T, now: Date, defaults: Record<string, unknown> = {}) {
  return { _id: new Types.ObjectId(), ...defaults, ...doc, createdAt: now, __v: 0 };
}

/** Runs an unordered bulk write whose duplicate-key failures mean "already done" (a replay). */
export async function writeIgnoringDuplicates(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    const writeErrors = (error as { writeErrors?: unknown[] }).writeErrors;
    const failures = Array.isArray(writeErrors) && writeErrors.length > 0 ? writeErrors : [error];
    if (!failures.every((failure) => isDuplicateKeyError(failure) || isDuplicateKeyError((failure as { err?: unknown }).err))) throw error;
  }
}
