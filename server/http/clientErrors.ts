import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** Node's parser errors and what a client is told about them. */
const ANSWERS: Record<string, { status: number; message: string }> = {
  HPE_INVALID_METHOD: { status: 501, message: 'method not implemented' },
  HPE_HEADER_OVERFLOW: { status: 431, message: 'request headers are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'request timed out' },
};

/**
 * The `clientError` handler of the HTTP server. Requests Node refuses before Koa sees them (a method
 * its parser does not know, headers over its limit, a request not received within
 * HTTP_HEADERS_TIMEOUT_MS / HTTP_REQUEST_TIMEOUT_MS, malformed HTTP) get the API's error shape instead
 * of Node's bare status line, and the connection is closed.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const { status, message } = ANSWERS[error.code ?? ''] ?? { status: 400, message: 'malformed HTTP request' };
  const body = JSON.stringify({ errors: { body: [message] } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'X-Content-Type-Options: nosniff\r\n' +
      'Cache-Control: no-store\r\n' +
      '\r\n' +
      body,
  );
}
