import http from 'node:http';
import type Koa from 'koa';

export interface RunningHttpServer {
  server: http.Server;
  url: string;
  /** Stops accepting, lets in-flight requests finish (up to timeoutMs), then closes what is left. */
  close(timeoutMs: number): Promise<void>;
}

export async function listen(app: Koa, host: string, port: number): Promise<RunningHttpServer> {
  const server = http.createServer(app.callback());
  server.keepAliveTimeout = 5000;
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
