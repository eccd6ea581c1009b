import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Middleware } from 'koa';
import helmet from 'helmet';

const HELMET_OPTIONS = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  frameguard: { action: 'deny' as const },
  referrerPolicy: { policy: 'no-referrer' as const },
};

/**
 * The headers helmet sets for these options, worked out once: none of them depends on the request
 * (no nonces), and running helmet's own middleware chain on every request cost the cached reads about
 * a third of their throughput (BENCHMARKS.md).
 */
function helmetHeaders(): { set: ReadonlyArray<readonly [string, string]>; removed: readonly string[] } {
  const set = new Map<string, string>();
  const removed: string[] = [];
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => set.set(name, String(value)),
    removeHeader: (name: string) => removed.push(name),
    getHeader: (name: string) => set.get(name),
  };
  let finished = false;
  helmet(HELMET_OPTIONS)({} as IncomingMessage, response as unknown as ServerResponse, () => (finished = true));
  if (!finished) throw new Error('helmet did not finish synchronously');
  return { set: [...set.entries()], removed };
}

/**
 * Security headers on every answer (errors and 429s included), with helmet. The API answers JSON only,
 * so the policy allows nothing to load and nothing to frame it: `Content-Security-Policy: default-src
 * 'none'; frame-ancestors 'none'`, `X-Frame-Options: DENY`, `X-Content-Type-Options: nosniff`,
 * `Referrer-Policy: no-referrer`, plus helmet's other defaults (HSTS, COOP/CORP same-origin, ...).
 * The HTML pages set policies of their own: the API reference at `/api/docs` (`DOCS_CSP` in
 * routes/openapi/router.ts: its own scripts, styles and the document from 'self', nothing else) and
 * the site's pages (`PAGE_CSP` in routes/site/answer.ts: no script at all, the site's stylesheet).
 */
export function securityHeaders(): Middleware {
  const { set, removed } = helmetHeaders();
  return async (ctx, next) => {
    const response = ctx.res;
    for (const [name, value] of set) response.setHeader(name, value);
    for (const name of removed) response.removeHeader(name);
    await next();
  };
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
