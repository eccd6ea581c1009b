import type { IncomingMessage, ServerResponse } from 'node:http';
import fresh from 'fresh';
import type { CachedAnswer, ReadCache } from '../readCache';
import { answerHeaders, type AnswerHeaders } from './answerHeaders';
import { clientAddress, type ProxySettings } from './clientAddress';
import { simpleRequestCorsHeaders, type CorsSettings } from './cors';
import { readKeyOf, requestIdOf } from './earlyRequest';
import { requestOrigin } from './requestOrigin';

export interface CachedAnswerParts {
  readCache: ReadCache;
  cors: CorsSettings;
  proxy: ProxySettings;
  /** The per-IP request limit (`RateLimits.countRead`); absent when limits are off. */
  countRead?: (ip: string) => Promise<boolean>;
}

/** Answered by Koa instead: the request is not an anonymous GET with a fresh cached answer, or its address is over its limit. */
const NOT_ANSWERED = false;

/**
 * Answers an anonymous GET whose answer the read cache holds straight on Node's response, before Koa
 * builds a context and runs the middleware chain: the hot path of a public site, measured at about
 * twice the requests a second of the same answer through Koa (BENCHMARKS.md). The answer is the one
 * Koa's `cachedReads` would give, byte for byte and header for header (tests compare both paths):
 * the same body; the request id, security and CORS headers; for a page or feed (an answer with
 * headers of its own) its policy replacing the API's and its Cache-Control, ETag and Last-Modified;
 * and a 304 with no body, Content-Type or Content-Length when the request's If-None-Match or
 * If-Modified-Since still matches (`fresh`, as Koa's `ctx.fresh`). A page's key holds the origin it
 * was asked at, worked out as Koa does (behind a trusted proxy, X-Forwarded-Proto and -Host) and only
 * for keys that hold it. The same per-IP request limit is counted first. Everything else (HEAD, a
 * miss, a request over its limit, an answer whose headers only Koa can set) goes on to Koa, where
 * `cachedReads` still answers from the cache.
 */
export function cachedAnswers({ readCache, cors, proxy, countRead }: CachedAnswerParts): (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean> {
  const corsFor = simpleRequestCorsHeaders(cors);
  const write = (req: IncomingMessage, res: ServerResponse, answer: CachedAnswer, parts: AnswerHeaders) => {
    const notModified = parts.validators !== undefined && fresh(req.headers, parts.validators);
    const headers: string[] = ['X-Request-Id', requestIdOf(req)];
    for (const header of parts.security) headers.push(header);
    for (const [name, value] of corsFor(req.headers.origin)) headers.push(name, value);
    if (!notModified) headers.push('Content-Type', parts.type, 'Content-Length', String(answer.body.byteLength));
    for (const header of parts.own) headers.push(header);
    res.writeHead(notModified ? 304 : 200, headers);
    if (notModified) res.end();
    else res.end(answer.body);
    return true;
  };
  return (req, res) => {
    if (req.method !== 'GET' || req.headers.authorization !== undefined) return NOT_ANSWERED;
    const key = readKeyOf(readCache, req, () => requestOrigin(req, proxy.trust));
    const answer = key === undefined ? undefined : readCache.cached(key);
    const parts = answer && answerHeaders(answer);
    if (!answer || !parts) return NOT_ANSWERED;
    if (!countRead) return write(req, res, answer, parts);
    return countRead(clientAddress(req, proxy)).then((allowed) => (allowed ? write(req, res, answer, parts) : NOT_ANSWERED));
  };
}
