import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/**
 * `${ctx.protocol}://${ctx.host}` as Koa works it out for an app with `proxy = trustProxy`
 * (koa/lib/request.js, `protocol` and `host`), for answers given before Koa runs (the cached pages,
 * whose key holds the origin they name): `https` on a TLS socket; behind a trusted proxy the first
 * entry of X-Forwarded-Proto (lowercased) and of X-Forwarded-Host, which are ignored otherwise; else
 * `http` and the Host header (userinfo dropped, or no host at all when it does not parse). A test
 * checks both agree.
 */
export function requestOrigin(req: IncomingMessage, trustProxy: boolean): string {
  return `${protocolOf(req, trustProxy)}://${hostOf(req, trustProxy)}`;
}

function protocolOf(req: IncomingMessage, trustProxy: boolean): string {
  if ((req.socket as Partial<TLSSocket>).encrypted) return 'https';
  if (!trustProxy) return 'http';
  const proto = header(req, 'x-forwarded-proto');
  return proto ? firstEntry(proto).toLowerCase() : 'http';
}

function hostOf(req: IncomingMessage, trustProxy: boolean): string {
  let host = trustProxy ? header(req, 'x-forwarded-host') : '';
  if (!host) {
    if (req.httpVersionMajor >= 2) host = header(req, ':authority');
    if (!host) host = header(req, 'host');
  }
  if (!host) return '';
  host = firstEntry(host);
  if (!host.includes('@')) return host;
  try {
    return new URL(`http://${host}`).host;
  } catch {
    return '';
  }
}

/** Koa's `ctx.get(name)`: the header as Node parsed it, or '' (Node joins repeated X-Forwarded-* with ', '). */
function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value.join(', ') : value) || '';
}

function firstEntry(list: string): string {
  return list.split(',', 1)[0]!.trim();
}
