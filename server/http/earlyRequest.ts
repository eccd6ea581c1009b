import type { IncomingMessage } from 'node:http';
import parseUrl from 'parseurl';
import { parse as parseQuery } from 'koa/lib/search-params';
import type { ReadCache } from '../readCache';
import { requestIdFor } from './requestContext';

/**
 * What the answers given before Koa (`cachedAnswers`, `signedInAnswers`) read from a raw request as
 * Koa would: the read cache's key for it (its path and query parsed as `ctx.path` and `ctx.query`
 * are) and its request id.
 */
export function readKeyOf(readCache: ReadCache, req: IncomingMessage, origin?: () => string): string | undefined {
  const url = parseUrl(req);
  if (!url) return undefined;
  return readCache.keyFor(url.pathname ?? '', parseQuery(typeof url.query === 'string' ? url.query : ''), origin);
}

/** The read cache's key for this GET by `reader` of an answer kept for them alone (a feed), if any. */
export function readerKeyOf(readCache: ReadCache, req: IncomingMessage, reader: string): string | undefined {
  const url = parseUrl(req);
  if (!url) return undefined;
  return readCache.readerKeyFor(url.pathname ?? '', parseQuery(typeof url.query === 'string' ? url.query : ''), reader);
}

/** The request id Koa's `requestContext` gives this request (the caller's when sane, else a new one). */
export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return requestIdFor(Array.isArray(incoming) ? incoming[0] : incoming);
}
