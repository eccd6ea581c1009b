import cors from '@koa/cors';
import type { Middleware } from 'koa';

/** CORS_ORIGINS / CORS_MAX_AGE_SECONDS. `origins` is `'*'` (any origin) or exact origins (`https://app.example`). */
export interface CorsSettings {
  origins: '*' | readonly string[];
  maxAgeSeconds: number;
}

export const DEFAULT_CORS: CorsSettings = { origins: '*', maxAgeSeconds: 600 };

/** Every method some route serves; a preflight for any of them is allowed. */
export const CORS_ALLOWED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** What RealWorld clients send besides the CORS-safelisted headers. */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'X-Request-Id'];
/** Response headers a script on another origin may read (the rest are CORS-safelisted). */
export const CORS_EXPOSED_HEADERS = ['Retry-After', 'X-Request-Id'];

/**
 * Lets front ends on other origins call the API, with @koa/cors. It runs before the error handler,
 * the rate limits and the cached reads, so every answer carries the headers (a browser hides an
 * error answer without them) and a preflight is answered here, 204, before it can be counted,
 * limited or refused with 405.
 *
 * `*` is safe as the default: Inkwell authenticates with the `Authorization` header, never with
 * cookies, so another site's script cannot act as a visitor without the visitor's token; and
 * `Access-Control-Allow-Credentials` is never sent. With a list, an origin not on it gets no
 * `Access-Control-Allow-Origin` (the browser refuses the answer to the script), its preflight is still
 * answered 204 without CORS headers, and `Vary: Origin` keeps caches from mixing the answers.
 */
export function corsHeaders(settings: CorsSettings = DEFAULT_CORS): Middleware {
  const allowed = settings.origins === '*' ? undefined : new Set(settings.origins);
  const isAllowed = (origin: string) => allowed === undefined || allowed.has(origin);
  const headers = cors({
    origin: (ctx) => (allowed === undefined ? '*' : isAllowed(ctx.get('Origin')) ? ctx.get('Origin') : ''),
    credentials: false,
    allowMethods: CORS_ALLOWED_METHODS,
    allowHeaders: CORS_ALLOWED_HEADERS,
    exposeHeaders: CORS_EXPOSED_HEADERS,
    maxAge: settings.maxAgeSeconds,
    keepHeadersOnError: true,
  });
  return async (ctx, next) => {
    const preflight = ctx.method === 'OPTIONS' && ctx.get('Access-Control-Request-Method') !== '';
    if (preflight && !isAllowed(ctx.get('Origin'))) {
      ctx.vary('Origin');
      ctx.status = 204;
      return;
    }
    await headers(ctx, next);
  };
}

/**
 * Parses CORS_ORIGINS: `*`, or comma-separated origins (scheme, host and optional port; a trailing
 * `/` is tolerated), returned in the form browsers send in `Origin`. Undefined when a value is not one.
 */
export function parseCorsOrigins(value: string): '*' | string[] | undefined {
  const trimmed = value.trim();
  if (trimmed === '*') return '*';
  const entries = trimmed.split(',').map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0) return undefined;
  const origins: string[] = [];
  for (const entry of entries) {
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      return undefined;
    }
    const bare = url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
    if (!bare || !/^https?:$/.test(url.protocol)) return undefined;
    origins.push(url.origin);
  }
  return origins;
}

/**
 * The CORS headers of an answer to a request that is not a preflight, as `corsHeaders` (@koa/cors with
 * these options) sets them: `Vary: Origin` always; for an allowed origin (any, with `*`) the
 * allow-origin and expose headers. Written by the cached-read answers, which never reach Koa; a test
 * checks both agree.
 */
export function simpleRequestCorsHeaders(settings: CorsSettings): (origin: string | undefined) => ReadonlyArray<readonly [string, string]> {
  const expose = CORS_EXPOSED_HEADERS.join(',');
  const vary = ['Vary', 'Origin'] as const;
  if (settings.origins === '*') {
    const any = [vary, ['Access-Control-Allow-Origin', '*'], ['Access-Control-Expose-Headers', expose]] as const;
    return () => any;
  }
  const allowed = new Set(settings.origins);
  const refused = [vary] as const;
  return (origin) => (origin !== undefined && allowed.has(origin) ? [vary, ['Access-Control-Allow-Origin', origin], ['Access-Control-Expose-Headers', expose]] : refused);
}
