import type { IncomingMessage, ServerResponse } from 'node:http';
import Koa from 'koa';
import type Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Logger } from '../lib/logger';
import { requestContext } from './http/requestContext';
import { errorHandler } from './http/errorHandler';
import { cachedReads } from './http/cachedReads';
import { noRateLimits, type RateLimits } from './http/rateLimits';
import { securityHeaders } from './http/securityHeaders';
import { cachedAnswers } from './http/cachedAnswers';
import { signedInAnswers } from './http/signedInAnswers';
import type { TokenService } from '../lib/auth/tokens';
import type { ProxySettings } from './http/clientAddress';
import { corsHeaders, DEFAULT_CORS, type CorsSettings } from './http/cors';
import type { ReadCache } from './readCache';

/** JSON bodies up to this size; article bodies are further limited to 64 KiB by validation. */
export const JSON_BODY_LIMIT = '256kb';

export interface AppParts {
  logger: Logger;
  routers: Router[];
  /** Anonymous reads cached by the routes, answered before routing. */
  readCache?: ReadCache;
  /** Per-IP and per-account limits on all requests and writes (none when left out). */
  rateLimits?: RateLimits;
  /** TRUST_PROXY / PROXY_HOPS: take the client address from X-Forwarded-For (off by default). */
  proxy?: ProxySettings;
  /** CORS_ORIGINS / CORS_MAX_AGE_SECONDS (any origin, 600 s when left out). */
  cors?: CorsSettings;
  /** Session tokens: with them, signed-in readers' cached reads are answered before Koa too. */
  tokens?: Pick<TokenService, 'verifySession'>;
}

type EarlyAnswer = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/**
 * Koa with the cached reads answered before it: `callback()` (used by `listen` and by the tests'
 * servers alike) first offers each request to `cachedAnswers` (anonymous) or `signedInAnswers` (with
 * an Authorization header), then hands it to Koa.
 */
class InkwellApp extends Koa {
  answerFromCache?: EarlyAnswer;
  answerSignedIn?: EarlyAnswer;

  override callback(): ReturnType<Koa['callback']> {
    const handle = super.callback();
    const anonymous = this.answerFromCache;
    const signedIn = this.answerSignedIn;
    if (!anonymous) return handle;
    return (req, res) => {
      // Koa's callback type admits HTTP/2 requests; Inkwell serves HTTP/1.1 (server/httpServer.ts).
      const answer = req.headers.authorization === undefined ? anonymous : signedIn;
      if (!answer) return handle(req, res);
      const answered = answer(req as IncomingMessage, res as ServerResponse);
      if (answered === true) return Promise.resolve();
      if (answered === false) return handle(req, res);
      return answered.then((done) => (done ? undefined : handle(req, res)));
    };
  }
}

/**
 * Composes the HTTP pipeline: cached anonymous reads (before Koa), then request id + log context,
 * security headers, CORS, error mapping, rate limits, cached anonymous reads again (requests the first
 * did not answer, e.g. with debug logging on), JSON bodies, routes.
 */
export function createApp({ logger, routers, readCache, rateLimits = noRateLimits, proxy, cors, tokens }: AppParts): Koa {
  const app = new InkwellApp();
  // Every request is logged at debug level, which only Koa's path does.
  if (readCache && !logger.isLevelEnabled('debug')) {
    const early = { readCache, cors: cors ?? DEFAULT_CORS, proxy: proxy ?? { trust: false, hops: 0 }, countRead: rateLimits.countRead };
    app.answerFromCache = cachedAnswers(early);
    if (tokens) app.answerSignedIn = signedInAnswers({ ...early, tokens });
  }
  // Off, X-Forwarded-For is ignored and the client is the socket's address; on, it is the entry
  // `hops` from the right of X-Forwarded-For (what the nearest trusted proxy saw).
  app.proxy = proxy?.trust ?? false;
  app.maxIpsCount = proxy?.trust ? proxy.hops : 0;
  app.silent = true; // errors are logged by errorHandler with the request id, never by Koa's default printer
  app.use(requestContext(logger));
  app.use(securityHeaders());
  // Before the error handler, rate limits and cached reads: every answer (errors, 429s and cached
  // reads included) carries the CORS headers, and preflights are answered here, never limited or 405.
  app.use(corsHeaders(cors));
  app.use(errorHandler());
  app.use(rateLimits.requests);
  if (readCache) app.use(cachedReads(readCache));
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: JSON_BODY_LIMIT, encoding: 'utf-8' }));
  for (const router of routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
