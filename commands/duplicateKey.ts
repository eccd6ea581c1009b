import type { Types } from 'mongoose';
import { AppError } from '../lib/errors';

interface DuplicateKeyError {
  code: number;
  keyPattern?: Record<string, unknown>;
}

export function isDuplicateKeyError(error: unknown): error is DuplicateKeyError {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/** The part of a mongoose model the lookup uses. */
interface Findable {
  find(filter: never): { select(fields: string): { limit(count: number): { lean(): PromiseLike<unknown> } } };
}

export interface UniqueFields {
  /** Stored field → the name clients know it by (`usernameKey` is reported as `username`). */
  names: Record<string, string>;
  /** The values the failed write tried to store, by stored field (only those it set). */
  values: Record<string, unknown>;
  /** The document being updated, which never collides with itself. */
  exceptId?: Types.ObjectId;
}

/**
 * Turns a unique-index violation into one 422 naming every unique field that is taken, not only the
 * index the error names: one query (an `$or` whose branches each use their unique index) finds which
 * of the written values other documents hold, so a sign-up whose username and email are both taken
 * hears about both at once. Any other error is rethrown as it is.
 */
export async function rethrowDuplicateAs(error: unknown, model: Findable, unique: UniqueFields): Promise<never> {
  if (!isDuplicateKeyError(error)) throw error;
  const named = Object.keys(error.keyPattern ?? {})[0];
  const written = Object.entries(unique.values).filter(([key, value]) => key in unique.names && value !== undefined);
  const taken = new Set<string>(named === undefined ? [] : [named]);
  if (written.length > 0) {
    const filter: Record<string, unknown> = { $or: written.map(([key, value]) => ({ [key]: value })) };
    if (unique.exceptId) filter._id = { $ne: unique.exceptId };
    const holders = (await model.find(filter as never).select(written.map(([key]) => key).join(' ')).limit(written.length).lean()) as Record<string, unknown>[];
    for (const [key, value] of written) if (holders.some((holder) => holder[key] === value)) taken.add(key);
  }
  const fields: Record<string, string[]> = {};
  // Clients' order (the names' order), then any index the names do not list.
  for (const key of [...Object.keys(unique.names).filter((k) => taken.has(k)), ...[...taken].filter((k) => !(k in unique.names))]) {
    fields[unique.names[key] ?? key] = ['has already been taken'];
  }
  if (Object.keys(fields).length === 0) fields.body = ['has already been taken'];
  throw new AppError('validation', fields);
}
