import type { RouterMiddleware } from '@koa/router';
import type { z } from 'zod';

/** The parts of a request a route takes input from, each with the zod schema that validates it. */
export interface InputSchemas {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
}

/** Each validated part as its schema parsed it (defaults filled in, values transformed). */
export type ValidInput<S extends InputSchemas> = { [K in keyof S]: S[K] extends z.ZodType ? z.output<S[K]> : never };

/** What `validate` adds to the route's state: the handlers after it read `ctx.state.input`, typed. */
export interface Validated<S extends InputSchemas> {
  input: ValidInput<S>;
}

/**
 * Validates the request's path parameters, query and JSON body (an absent body counts as `{}`) with
 * the route's schemas (its folder's `schema.ts`, which the OpenAPI document is built from) and puts
 * the parsed values on `ctx.state.input`. A ZodError becomes a 422 naming the fields in the error
 * middleware. Placed after authentication, so an anonymous request is told 401 before its input is judged.
 */
export function validate<S extends InputSchemas>(schemas: S): RouterMiddleware<Validated<S>> {
  return async (ctx, next) => {
    const input: { [K in keyof InputSchemas]?: unknown } = {};
    if (schemas.params) input.params = schemas.params.parse(ctx.params ?? {});
    if (schemas.query) input.query = schemas.query.parse(ctx.query);
    if (schemas.body) input.body = schemas.body.parse(ctx.request.body ?? {});
    ctx.state.input = input as ValidInput<S>;
    await next();
  };
}
