import type { Middleware } from 'koa';
import type { ReadCache } from '../readCache';

/**
 * Answers an anonymous GET whose response a route has cached (see `ReadCache`) before the request
 * reaches the routers. The key is the route's own normalised reading of the request (the key
 * function it registered, which validates the query with the route's schema), and only keys the
 * routes stored are served, so what is cacheable stays the routes' decision; a request that sends
 * any Authorization header always goes through them. An answer stored with validators (the pages'
 * `ETag`) answers a conditional request that still matches with 304.
 */
export function cachedReads(readCache: ReadCache): Middleware {
  return async (ctx, next) => {
    if (ctx.method === 'GET' && !ctx.get('Authorization')) {
      const key = readCache.keyFor(ctx.path, ctx.query, `${ctx.protocol}://${ctx.host}`);
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
