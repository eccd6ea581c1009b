import type { IncomingMessage } from 'node:http';

export interface ProxySettings {
  /** TRUST_PROXY: take the client address from X-Forwarded-For. */
  trust: boolean;
  /** PROXY_HOPS: how many entries from the right of X-Forwarded-For are trusted proxies' own. */
  hops: number;
}

/**
 * The client's address as Koa works out `ctx.ip` for an app with `proxy = trust` and
 * `maxIpsCount = hops` (koa/lib/request.js, `ips` and `ip`), for answers given before Koa runs (the
 * cached reads): without a trusted proxy the socket's address, else the entry `hops` from the right of
 * X-Forwarded-For. A test checks both agree.
 */
export function clientAddress(req: IncomingMessage, proxy: ProxySettings): string {
  const header = req.headers['x-forwarded-for'];
  const forwarded = Array.isArray(header) ? header.join(',') : header;
  if (proxy.trust && forwarded) {
    let entries = forwarded.split(',').map((entry) => entry.trim());
    if (proxy.hops > 0) entries = entries.slice(-proxy.hops);
    if (entries[0]) return entries[0];
  }
  return req.socket.remoteAddress ?? '';
}
