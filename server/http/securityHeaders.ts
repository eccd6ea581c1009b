import type { Middleware } from 'koa';
import helmet from 'koa-helmet';

/**
 * Security headers on every answer (errors and 429s included), with helmet. Inkwell answers JSON only,
 * so the policy allows nothing to load and nothing to frame it: `Content-Security-Policy: default-src
 * 'none'; frame-ancestors 'none'`, `X-Frame-Options: DENY`, `X-Content-Type-Options: nosniff`,
 * `Referrer-Policy: no-referrer`, plus helmet's other defaults (HSTS, COOP/CORP same-origin, ...).
 * The one HTML page, the API reference at `/api/docs`, sets a policy of its own (`DOCS_CSP` in
 * routes/openapi/router.ts: its own scripts, styles and the document from 'self', nothing else).
 */
export function securityHeaders(): Middleware {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}

/**
 * `Cache-Control: no-store` on every answer to a request that carries credentials (an Authorization
 * header) and on every answer to a write: login, sign-up and user updates answer with a session token,
 * and nothing personal may stay in a browser's or proxy's cache. Set before the request is handled,
 * so error answers carry it too.
 */
export function noStoreForCredentials(): Middleware {
  return async (ctx, next) => {
    if (ctx.get('Authorization') || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) ctx.set('Cache-Control', 'no-store');
    await next();
  };
}
