import type { Middleware } from 'koa';
import type { ReadCache } from '../readCache';

/**
 * Answers an anonymous GET whose response a route has cached (see `ReadCache`) before the request
 * reaches the routers. The key is the route's own normalised reading of the request (the key
 * function it registered, which validates the query with the route's schema), and only keys the
 * routes stored are served, so what is cacheable stays the routes' decision; a request that sends
 * any Authorization header always goes through them.
 */
export function cachedReads(readCache: ReadCache): Middleware {
  return async (ctx, next) => {
    if (ctx.method === 'GET' && !ctx.get('Authorization')) {
      const key = readCache.keyFor(ctx.path, ctx.query);
      const body = key === undefined ? undefined : readCache.cached(key);
      if (body) {
        ctx.type = 'application/json';
        ctx.body = body;
        return;
      }
    }
    await next();
  };
}
