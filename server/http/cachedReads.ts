import type { Middleware } from 'koa';
import type { ReadCache } from '../readCache';

/**
 * Answers an anonymous GET whose response a route has cached (see `ReadCache`) before the request
 * reaches the routers. The key is the route's own normalised reading of the request (the key
 * function it registered, which validates the query with the route's schema; a page's holds the
 * origin it was asked at), and only keys the routes stored are served, so what is cacheable stays the
 * routes' decision; a request that sends any Authorization header always goes through them. An
 * answer stored with validators (the pages' `ETag`) answers a conditional request that still matches
 * with 304.
 *
 * Most such requests are answered before Koa runs by `cachedAnswers` (server/http/cachedAnswers.ts),
 * which sends exactly what this middleware and the ones before it send (a test compares both, 304s
 * and the page origin behind a proxy included); this one answers the rest: every request while debug
 * logging is on, and answers whose headers only Koa can set.
 */
export function cachedReads(readCache: ReadCache): Middleware {
  return async (ctx, next) => {
    if (ctx.method === 'GET' && !ctx.get('Authorization')) {
      const key = readCache.keyFor(ctx.path, ctx.query, () => `${ctx.protocol}://${ctx.host}`);
      const answer = key === undefined ? undefined : readCache.cached(key);
      if (answer) {
        ctx.body = answer.body;
        ctx.type = answer.type;
        if (answer.headers) {
          ctx.set(answer.headers);
          if (ctx.fresh) ctx.status = 304;
        }
        return;
      }
    }
    await next();
  };
}
