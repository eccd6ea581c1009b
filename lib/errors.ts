/**
 * Errors are values with a kind and field messages (`body`: general messages, already sentences).
 * Commands throw them; one middleware (server/http/errorHandler.ts) maps the kind to an HTTP status and
 * the body `{"errors": {"body": ["<field> <message>", ...]}, "fields": {"<field>": ["<message>"]}}`.
 */
export type ErrorKind =
  | 'bad_request'
  | 'validation'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'too_many_requests'
  | 'unavailable';

export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly kind: ErrorKind,
    readonly fields: FieldErrors,
    /** Stable machine-readable code for rules (e.g. VOTE_TOO_SOON), when one applies. */
    readonly code?: string,
  ) {
    super(Object.entries(fields)
      .map(([field, messages]) => `${field} ${messages.join(', ')}`)
      .join('; '));
  }
}

/** A rate limit was reached: 429 with `Retry-After` (whole seconds, at least 1). */
export class TooManyRequests extends AppError {
  override name = 'TooManyRequests';
  readonly retryAfterSeconds: number;
  constructor(what: string, retryAfterMs: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    super('too_many_requests', { body: [`too many ${what}; try again in ${seconds} second${seconds === 1 ? '' : 's'}`] }, 'RATE_LIMITED');
    this.retryAfterSeconds = seconds;
  }
}

const error = (kind: ErrorKind) => (message: string, field = 'body', code?: string) =>
  new AppError(kind, { [field]: [message] }, code);

export const badRequest = error('bad_request');
export const validationFailed = error('validation');
export const unauthorized = error('unauthorized');
export const forbidden = error('forbidden');
export const notFound = error('not_found');
export const conflict = error('conflict');
export const unavailable = error('unavailable');

export const httpStatusOf: Record<ErrorKind, number> = {
  bad_request: 400,
  validation: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  too_many_requests: 429,
  unavailable: 503,
};
