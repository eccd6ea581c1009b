import Koa from 'koa';
import type Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Logger } from './logger';
import { requestContext } from './http/requestContext';
import { errorHandler } from './http/errorHandler';
import { cachedReads } from './http/cachedReads';
import type { ReadCache } from './readCache';

/** JSON bodies up to this size; article bodies are further limited to 64 KiB by validation. */
export const JSON_BODY_LIMIT = '256kb';

export interface AppParts {
  logger: Logger;
  routers: Router[];
  /** Anonymous reads cached by the routes, answered before routing. */
  readCache?: ReadCache;
}

/** Composes the HTTP pipeline: request id + log context, error mapping, cached anonymous reads, JSON bodies, routes. */
export function createApp({ logger, routers, readCache }: AppParts): Koa {
  const app = new Koa();
  app.proxy = false;
  app.silent = true; // errors are logged by errorHandler with the request id, never by Koa's default printer
  app.use(requestContext(logger));
  app.use(errorHandler());
  if (readCache) app.use(cachedReads(readCache));
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: JSON_BODY_LIMIT, encoding: 'utf-8' }));
  for (const router of routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
