import type { z } from 'zod';

/** Parses request input with a zod schema; a ZodError becomes a 422 in the error middleware. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  return schema.parse(input ?? {});
}
