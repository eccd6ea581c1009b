import type { CachedAnswer } from '../readCache';
import { API_SECURITY_HEADERS } from './securityHeaders';

/**
 * The headers of a cached answer that do not depend on the request, in the order Koa's path sets
 * them (server/http/cachedReads.ts after securityHeaders): the security headers, with the answer's
 * own replacing theirs in place (a page's CSP, as `res.setHeader` does), then — after the request id
 * and the CORS headers, written per request — Content-Type and Content-Length (a 200's only: Koa
 * strips both from a 304), then the answer's other headers (a page's Cache-Control, ETag and
 * Last-Modified), kept on a 304.
 */
export interface AnswerHeaders {
  /** Name, value, name, value… */
  readonly security: readonly string[];
  /** The Content-Type Koa sends for the answer's type. */
  readonly type: string;
  /** The answer's headers that replace none of the security headers; name, value… */
  readonly own: readonly string[];
  /** The response headers `fresh` compares a conditional request with (`etag`, `last-modified`); none for the API's JSON. */
  readonly validators?: Readonly<Record<string, string>>;
}

/**
 * Headers the fast path writes for each request (request id, CORS) or from the body (its type and
 * length): an answer setting one of them is left to Koa, which would let it replace them.
 */
const PER_REQUEST = /^(x-request-id|vary|access-control-.*|content-type|content-length|transfer-encoding)$/i;

const SECURITY = API_SECURITY_HEADERS.flat();
const byType = new Map<string, AnswerHeaders>();
const byAnswer = new WeakMap<CachedAnswer, AnswerHeaders | null>();

/**
 * The headers of `answer` as Koa's path sends them, worked out once for each stored answer (and once
 * for each media type of the answers with no headers of their own, the API's JSON); undefined when
 * the fast path cannot reproduce Koa's exactly (then Koa answers).
 */
export function answerHeaders(answer: CachedAnswer): AnswerHeaders | undefined {
  if (!answer.headers) {
    let headers = byType.get(answer.type);
    if (!headers && koaKeepsType(answer.type)) byType.set(answer.type, (headers = { security: SECURITY, type: answer.type, own: [] }));
    return headers;
  }
  let headers = byAnswer.get(answer);
  if (headers === undefined) byAnswer.set(answer, (headers = withOwnHeaders(answer.type, answer.headers) ?? null));
  return headers ?? undefined;
}

function withOwnHeaders(type: string, answerHeaders: Readonly<Record<string, string>>): AnswerHeaders | undefined {
  if (!koaKeepsType(type)) return undefined;
  const security = [...SECURITY];
  const own: string[] = [];
  const validators: Record<string, string> = {};
  for (const [name, value] of Object.entries(answerHeaders)) {
    const lower = name.toLowerCase();
    if (PER_REQUEST.test(lower)) return undefined;
    if (lower === 'etag' || lower === 'last-modified') validators[lower] = value;
    const at = security.findIndex((existing, index) => index % 2 === 0 && existing.toLowerCase() === lower);
    if (at >= 0) security.splice(at, 2, name, value);
    else own.push(name, value);
  }
  return { security, type, own, validators };
}

/**
 * Whether Koa's `ctx.type = type` sends `type` unchanged: mime-types' `contentType` leaves a full type
 * that names its charset as it is (and adds a charset, or looks up an extension, otherwise).
 */
function koaKeepsType(type: string): boolean {
  return type.includes('/') && type.includes('charset');
}
