import type { IncomingMessage, ServerResponse } from 'node:http';
import parseUrl from 'parseurl';
import { parse as parseQuery } from 'koa/lib/search-params';
import type { ReadCache } from '../readCache';
import { clientAddress, type ProxySettings } from './clientAddress';
import { simpleRequestCorsHeaders, type CorsSettings } from './cors';
import { requestIdFor } from './requestContext';
import { API_SECURITY_HEADERS } from './securityHeaders';

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
 * Koa would give: the same body, the same security, CORS and request-id headers (tests compare both
 * paths header by header), after the same per-IP request limit. Everything else, including a request
 * over its limit, goes on to Koa, where `cachedReads` still answers from the cache.
 */
export function cachedAnswers({ readCache, cors, proxy, countRead }: CachedAnswerParts): (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean> {
  const corsFor = simpleRequestCorsHeaders(cors);
  const write = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const headers: string[] = ['X-Request-Id', requestIdFor(singleHeader(req.headers['x-request-id']))];
    for (const [name, value] of API_SECURITY_HEADERS) headers.push(name, value);
    for (const [name, value] of corsFor(req.headers.origin)) headers.push(name, value);
    headers.push('Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(body.byteLength));
    res.writeHead(200, headers);
    res.end(body);
    return true;
  };
  return (req, res) => {
    if (req.method !== 'GET' || req.headers.authorization !== undefined) return NOT_ANSWERED;
    const url = parseUrl(req);
    if (!url) return NOT_ANSWERED;
    const key = readCache.keyFor(url.pathname ?? '', parseQuery(typeof url.query === 'string' ? url.query : ''));
    const answer = key === undefined ? undefined : readCache.cached(key);
    // Pages (answers with headers of their own, validators among them) are answered by Koa's `cachedReads`.
    if (!answer || answer.headers) return NOT_ANSWERED;
    const body = answer.body;
    if (!countRead) return write(req, res, body);
    return countRead(clientAddress(req, proxy)).then((allowed) => (allowed ? write(req, res, body) : NOT_ANSWERED));
  };
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
