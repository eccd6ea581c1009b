import type { Middleware } from 'koa';
import { ZodError } from 'zod';
import { AppError, httpStatusOf, TooManyRequests, type FieldErrors } from '../errors';

/**
 * The one place errors become HTTP. Known errors keep their messages; anything else is logged with
 * its stack and answered with a generic 500, so internals never reach a client.
 */
export function errorHandler(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        respond(ctx, 404, { body: [`no route for ${ctx.method} ${ctx.path}`] });
      } else if ((ctx.status === 405 || ctx.status === 501) && isEmptyBody(ctx.body)) {
        // The routers' allowedMethods: 405 for a method the path does not serve, 501 for one no router
        // implements (TRACE, PROPFIND, ...). Either way the method is not allowed here; the Allow header
        // the router set names what is, and is left out where no route matched the path.
        if (!ctx.response.get('Allow')) ctx.remove('Allow');
        respond(ctx, 405, { body: [`method ${ctx.method} is not allowed for ${ctx.path}`] });
      }
    } catch (error) {
      if (error instanceof TooManyRequests) ctx.set('Retry-After', String(error.retryAfterSeconds));
      if (error instanceof AppError) {
        respond(ctx, httpStatusOf[error.kind], error.fields);
      } else if (error instanceof ZodError) {
        respond(ctx, 422, zodFieldErrors(error));
      } else if (isBodyParserError(error)) {
        handleBodyParserError(ctx, error);
      } else {
        ctx.state.log?.error({ err: error }, 'unhandled error');
        respond(ctx, 500, { body: ['internal server error'] });
      }
    }
  };
}

type KoaContext = Parameters<Middleware>[0];

const isEmptyBody = (body: unknown) => body === undefined || body === null || body === '';

/**
 * The RealWorld contract requires `errors.body`; field messages are also summarised there, so
 * clients that only show `body` still say what was wrong.
 */
function respond(ctx: KoaContext, status: number, fields: FieldErrors): void {
  ctx.status = status;
  const summary = Object.entries(fields).flatMap(([field, messages]) => (field === 'body' ? messages : messages.map((m) => `${field} ${m}`)));
  ctx.body = { errors: { ...fields, body: summary } };
  if (status === 401) ctx.set('WWW-Authenticate', 'Token');
}

export function zodFieldErrors(error: ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    // RealWorld bodies wrap the payload (`{"user": {...}}`); name the field inside the wrapper.
    const path = issue.path.length > 1 ? issue.path.slice(1) : issue.path;
    const field = path.length > 0 ? path.join('.') : 'body';
    (fields[field] ??= []).push(issue.message);
  }
  return fields;
}

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

function isBodyParserError(error: unknown): error is HttpLikeError {
  if (typeof error !== 'object' || error === null) return false;
  const status = (error as HttpLikeError).status ?? (error as HttpLikeError).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

function handleBodyParserError(ctx: KoaContext, error: HttpLikeError): void {
  const status = error.status ?? error.statusCode ?? 400;
  if (status === 413) return respond(ctx, 413, { body: ['request body is too large'] });
  if (status === 415) return respond(ctx, 415, { body: ['unsupported content type: send application/json'] });
  if (error.type === 'entity.parse.failed' || status === 400) {
    return respond(ctx, 400, { body: ['malformed JSON in request body'] });
  }
  respond(ctx, status, { body: ['bad request'] });
}
