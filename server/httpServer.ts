import http from 'node:http';
import type Koa from 'koa';
import { answerClientError } from './http/clientErrors';

export interface RunningHttpServer {
  server: http.Server;
  url: string;
  /** Stops accepting, lets in-flight requests finish (up to timeoutMs), then closes what is left. */
  close(timeoutMs: number): Promise<void>;
}

export interface HttpServerSettings {
  host: string;
  port: number;
  /** HTTP_HEADERS_TIMEOUT_MS: a client must send all its headers within this (slow headers: slowloris). */
  headersTimeoutMs: number;
  /** HTTP_REQUEST_TIMEOUT_MS: ... and its whole request, body included, within this. */
  requestTimeoutMs: number;
  /** HTTP_KEEP_ALIVE_TIMEOUT_MS: an idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** HTTP_MAX_HEADERS_COUNT: headers beyond this many are dropped. */
  maxHeadersCount: number;
}

export async function listen(app: Koa, settings: HttpServerSettings): Promise<RunningHttpServer> {
  const { host, port } = settings;
  const server = http.createServer(
    {
      headersTimeout: settings.headersTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      keepAliveTimeout: settings.keepAliveTimeoutMs,
      // Node checks the two timeouts above every this many ms (default 30 s, which would let a slow
      // client hold a connection up to 30 s past them).
      connectionsCheckingInterval: Math.min(1000, settings.headersTimeoutMs),
    },
    app.callback(),
  );
  server.maxHeadersCount = settings.maxHeadersCount;
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    server,
    url: `http://${shownHost}:${boundPort}`,
    close: (timeoutMs) =>
      new Promise<void>((resolve) => {
        const forceTimer = setTimeout(() => server.closeAllConnections(), timeoutMs);
        server.close(() => {
          clearTimeout(forceTimer);
          resolve();
        });
        // Idle keep-alive sockets would hold close() open; busy ones finish their response first.
        server.closeIdleConnections();
      }),
  };
}
