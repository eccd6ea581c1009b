import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Middleware } from 'koa';
import helmet from 'helmet';

/**
 * helmet's headers that mean something on a JSON answer. The ones left out only act on HTML documents
 * or on retired browsers (Cross-Origin-Opener-Policy, Origin-Agent-Cluster, X-DNS-Prefetch-Control,
 * X-Download-Options, X-Permitted-Cross-Domain-Policies, X-XSS-Protection); pages that are HTML (the
 * API reference) set their own. The set follows OWASP's REST Security Cheat Sheet (docs/security.md).
 */
const HELMET_OPTIONS = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  frameguard: { action: 'deny' as const },
  referrerPolicy: { policy: 'no-referrer' as const },
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
};

/**
 * The headers helmet sets for these options, worked out once: none of them depends on the request (no
 * nonces), and running helmet's own middleware chain on every request cost the cached reads about a
 * third of their throughput (BENCHMARKS.md).
 */
function helmetHeaders(): ReadonlyArray<readonly [string, string]> {
  const set = new Map<string, string>();
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => set.set(name, String(value)),
    removeHeader: () => {},
    getHeader: (name: string) => set.get(name),
  };
  let finished = false;
  helmet(HELMET_OPTIONS)({} as IncomingMessage, response as unknown as ServerResponse, () => (finished = true));
  if (!finished) throw new Error('helmet did not finish synchronously');
  return [...set.entries()];
}

/**
 * The security headers of every API answer: `Content-Security-Policy: default-src 'none';
 * frame-ancestors 'none'` (nothing loads, nothing frames it), `X-Frame-Options: DENY`,
 * `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`, `Strict-Transport-Security` and
 * `Cross-Origin-Resource-Policy: same-origin`. Also written by the cached-read answers, which never
 * reach Koa (server/http/cachedAnswers.ts).
 */
export const API_SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = helmetHeaders();

/**
 * Sets the security headers on every answer (errors and 429s included), and `Cache-Control: no-store`
 * on every answer to a request that carries credentials (an Authorization header) and to every write:
 * login, sign-up and user updates answer with a session token, and nothing personal may stay in a
 * browser's or proxy's cache. Set before the request is handled, so error answers carry them too. The
 * HTML pages replace the policy with their own: the API reference at `/api/docs` (`DOCS_CSP` in
 * routes/openapi/router.ts) and the site's pages (`PAGE_CSP` in routes/site/answer.ts: no script at
 * all, the site's own stylesheet).
 */
/** Methods that never answer with a token; OPTIONS is a CORS preflight, answered before any handler. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function securityHeaders(): Middleware {
  return async (ctx, next) => {
    const response = ctx.res;
    for (const [name, value] of API_SECURITY_HEADERS) response.setHeader(name, value);
    if (ctx.get('Authorization') || !SAFE_METHODS.has(ctx.method)) response.setHeader('Cache-Control', 'no-store');
    await next();
  };
}
