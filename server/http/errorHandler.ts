import type { Middleware } from 'koa';
import { ZodError } from 'zod';
import { AppError, httpStatusOf, TooManyRequests, type FieldErrors } from '../../lib/errors';
import { AssetParseError } from '../../domain/money';

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
        respond(ctx, 422, {}, zodErrorAnswer(error));
      } else if (error instanceof AssetParseError) {
        // An amount from the request that a schema let through unparsed: invalid input, not a fault.
        respond(ctx, 422, { body: [error.message] });
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
 * What an error answer says: `sentences` (each problem once, readable on its own) and `fields` (the
 * same problems by field, for programmatic clients).
 */
export interface ErrorAnswer {
  sentences: string[];
  fields: FieldErrors;
}

/**
 * The error body: `{"errors": {"body": [sentences]}, "fields": {"<field>": ["message"]}}`.
 *
 * RealWorld clients print `key + " " + message` for every key of `errors`; `errors` therefore holds
 * only `body` (which the contract's GenericErrorModel requires), so each problem shows once, as a
 * full sentence ("username has already been taken"), with every failing field listed. The per-field
 * detail is the top-level `fields` (left out when no field is named), which RealWorld clients ignore.
 */
function respond(ctx: KoaContext, status: number, errors: FieldErrors, answer: ErrorAnswer = fromFieldErrors(errors)): void {
  const { sentences, fields } = answer;
  ctx.status = status;
  ctx.body = Object.keys(fields).length > 0 ? { errors: { body: sentences }, fields } : { errors: { body: sentences } };
  if (status === 401) ctx.set('WWW-Authenticate', 'Token');
}

/** "username" + "has already been taken"; a message that already starts with its field is kept as it is ("token is missing"). */
const sentence = (field: string, message: string) => (message.startsWith(`${field} `) ? message : `${field} ${message}`);

/** An AppError's messages: those under `body` are general sentences already; every other key names a field. */
export function fromFieldErrors(errors: FieldErrors): ErrorAnswer {
  const sentences: string[] = [];
  const fields: FieldErrors = {};
  for (const [field, messages] of Object.entries(errors)) {
    if (field === 'body') {
      sentences.push(...messages);
    } else {
      fields[field] = [...messages];
      sentences.push(...messages.map((message) => sentence(field, message)));
    }
  }
  return { sentences: [...new Set(sentences)], fields };
}

/**
 * Schema failures: every issue with a path names its field (an article's `body` included: "body is
 * too long" stays a field error), one without a path is a general sentence.
 */
export function zodErrorAnswer(error: ZodError): ErrorAnswer {
  const sentences: string[] = [];
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    // RealWorld bodies wrap the payload (`{"user": {...}}`); name the field inside the wrapper.
    const path = issue.path.length > 1 ? issue.path.slice(1) : issue.path;
    if (path.length === 0) {
      sentences.push(issue.message);
      continue;
    }
    const field = path.join('.');
    (fields[field] ??= []).push(issue.message);
    sentences.push(sentence(field, issue.message));
  }
  return { sentences: [...new Set(sentences)], fields };
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
