import { validationFailed } from '../server/errors';

interface DuplicateKeyError {
  code: number;
  keyPattern?: Record<string, unknown>;
}

export function isDuplicateKeyError(error: unknown): error is DuplicateKeyError {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/** Turns a unique-index violation into a 422 naming the field (`usernameKey` is reported as `username`). */
export function rethrowDuplicateAs(error: unknown, fieldNames: Record<string, string>): never {
  if (isDuplicateKeyError(error)) {
    const key = Object.keys(error.keyPattern ?? {})[0] ?? 'body';
    throw validationFailed('has already been taken', fieldNames[key] ?? key);
  }
  throw error;
}
