import { z } from 'zod';

/**
 * Every list endpoint takes `limit` and `offset` (RealWorld's pagination) within bounds: a limit
 * above the endpoint's maximum, or an offset above `MAX_OFFSET`, is refused with a 422 naming the
 * parameter and the bound (not clamped: a client asking for more than it gets should be told). A
 * deep offset costs the database work in proportion to it, so it is bounded too.
 */
export const MAX_OFFSET = 10_000;

/** An integer query parameter within [min, max]; absent or empty means `fallback`. */
export const boundedInt = (min: number, max: number, fallback: number) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? fallback : v),
    z.coerce.number({ message: 'must be an integer' }).int('must be an integer').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`),
  );

/** `?limit&offset` for a list: `limit` 1..maxLimit (default `defaultLimit`), `offset` 0..MAX_OFFSET (default 0). */
export function pageQuerySchema(defaultLimit: number, maxLimit: number) {
  return z.object({ offset: boundedInt(0, MAX_OFFSET, 0), limit: boundedInt(1, maxLimit, defaultLimit) });
}

export type PageWindow = { offset: number; limit: number };
