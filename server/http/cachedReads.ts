import type { Middleware } from 'koa';
import type { ReadCache } from '../readCache';

/**
 * Answers an anonymous GET whose response a route has cached (see `ReadCache`) before the request
 * reaches the routers. Only keys the routes stored are served, so what is cacheable stays the
 * routes' decision; a request that sends any Authorization header always goes through them.
 */
export function cachedReads(readCache: ReadCache): Middleware {
  return async (ctx, next) => {
    if (ctx.method === 'GET' && !ctx.get('Authorization')) {
      const body = readCache.cached(ctx.url);
      if (body) {
        ctx.type = 'application/json';
        ctx.body = body;
        return;
      }
    }
    await next();
  };
}
