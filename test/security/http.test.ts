import net from 'node:net';
import Router from '@koa/router';
import request from 'supertest';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { listen } from '../../server/httpServer';
import { createLogger } from '../../lib/logger';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none';frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
};

function expectSecurityHeaders(response: request.Response) {
  expect(response.headers).toMatchObject(SECURITY_HEADERS);
  expect(response.headers['x-request-id']).toEqual(expect.any(String));
  expect(response.headers['x-powered-by']).toBeUndefined();
}

describe('security headers and caching', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ env: { RATE_LIMIT: 'on', RATE_LIMIT_PREVIEWS_PER_IP: '1' } });
  });
  afterAll(async () => {
    await api.close();
  });

  it('are on 200, 401, 404, 422 and 429 answers', async () => {
    const ok = await api.http().get('/api/tags');
    const unauthorized = await api.http().get('/api/user').set('Authorization', 'Token nonsense');
    const missing = await api.http().get('/api/articles/no-such-article');
    const invalid = await api.http().post('/api/users').send({ user: { username: '' } });
    await api.http().post('/api/preview').send({ body: 'x' });
    const limited = await api.http().post('/api/preview').send({ body: 'x' });
    expect([ok.status, unauthorized.status, missing.status, invalid.status, limited.status]).toEqual([200, 401, 404, 422, 429]);
    for (const response of [ok, unauthorized, missing, invalid, limited]) expectSecurityHeaders(response);
  });

  it('are on a 500, and the caller keeps its X-Request-Id', async () => {
    const router = new Router();
    router.get('/crash', () => {
      throw new Error('boom');
    });
    const app = createApp({ logger: createLogger('silent'), routers: [router] });
    const response = await request(app.callback()).get('/crash').set('X-Request-Id', 'abc-123');
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ errors: { body: ['internal server error'] } });
    expectSecurityHeaders(response);
    expect(response.headers['x-request-id']).toBe('abc-123');
  });

  it('every answer to a request with credentials, and login and sign-up answers (tokens), are no-store', async () => {
    const user = await registerUser(api);
    const signup = await api
      .http()
      .post('/api/users')
      .send({ user: { username: `nostore${Date.now() % 100000}`, email: `nostore${Date.now()}@example.com`, password: 'correct horse battery' } });
    const login = await api.http().post('/api/users/login').send({ user: { email: user.email, password: 'correct horse battery' } });
    const current = await api.http().get('/api/user').set(auth(user.token));
    const list = await api.http().get('/api/articles').set(auth(user.token));
    const denied = await api.http().get('/api/user').set('Authorization', 'Token expired-or-forged');
    expect([signup.status, login.status, current.status, list.status, denied.status]).toEqual([201, 200, 200, 200, 401]);
    for (const response of [signup, login, current, list, denied]) expect(response.headers['cache-control']).toBe('no-store');
    // An anonymous public read may be cached.
    expect((await api.http().get('/api/tags')).headers['cache-control']).toBeUndefined();
  });
});

describe('methods the API does not serve', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it.each(['TRACE', 'PROPFIND'])('%s answers 405 in the error shape, with Allow where the path exists', async (method) => {
    const response = await request(api.server)[method.toLowerCase() as 'trace'](`/api/articles`);
    expect(response.status).toBe(405);
    expect(response.body).toEqual({ errors: { body: [`method ${method} is not allowed for /api/articles`] } });
    expect(response.headers['allow']!.split(/,\s*/).sort()).toEqual(['GET', 'HEAD', 'POST']);
    expectSecurityHeaders(response);

    const unknownPath = await request(api.server)[method.toLowerCase() as 'trace']('/nowhere');
    expect(unknownPath.status).toBe(405);
    expect(unknownPath.body.errors.body).toEqual([`method ${method} is not allowed for /nowhere`]);
    expect(unknownPath.headers['allow']).toBeUndefined();
  });

  it('a known method the path does not serve answers 405 with Allow', async () => {
    const response = await api.http().patch('/api/tags');
    expect(response.status).toBe(405);
    expect(response.headers['allow']).toBe('HEAD, GET');
    expect(response.body.errors.body).toEqual(['method PATCH is not allowed for /api/tags']);
  });
});

describe('the HTTP server', () => {
  const app = createApp({ logger: createLogger('silent'), routers: [] });

  it('sets its timeouts and header limit from the configuration', async () => {
    const settings = loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '4000', HTTP_REQUEST_TIMEOUT_MS: '8000', HTTP_KEEP_ALIVE_TIMEOUT_MS: '3000', HTTP_MAX_HEADERS_COUNT: '50' }).http;
    const running = await listen(app, { ...settings, port: 0 });
    try {
      expect(running.server.headersTimeout).toBe(4000);
      expect(running.server.requestTimeout).toBe(8000);
      expect(running.server.keepAliveTimeout).toBe(3000);
      expect(running.server.maxHeadersCount).toBe(50);
    } finally {
      await running.close(100);
    }
  });

  it('answers a method Node itself refuses (not in its parser) with 501 in the error shape', async () => {
    const running = await listen(app, { ...loadConfig({}).http, port: 0 });
    try {
      const { port } = running.server.address() as net.AddressInfo;
      const answer = await new Promise<string>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => socket.write('BREW /api/tags HTTP/1.1\r\nHost: x\r\n\r\n'));
        let received = '';
        socket.on('data', (chunk) => (received += chunk.toString()));
        socket.on('close', () => resolve(received));
      });
      expect(answer).toMatch(/^HTTP\/1\.1 501 Not Implemented\r\n/);
      expect(answer).toContain('Content-Type: application/json');
      expect(answer.endsWith('{"errors":{"body":["method not implemented"]}}')).toBe(true);
    } finally {
      await running.close(100);
    }
  });

  it('refuses a header timeout longer than the request timeout', () => {
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '9000', HTTP_REQUEST_TIMEOUT_MS: '8000' })).toThrow(/HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS/);
  });

  it('drops a client that sends its headers too slowly (slowloris) after HTTP_HEADERS_TIMEOUT_MS', async () => {
    const settings = loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '300', HTTP_REQUEST_TIMEOUT_MS: '600' }).http;
    const running = await listen(app, { ...settings, port: 0 });
    try {
      const { port } = running.server.address() as net.AddressInfo;
      const started = Date.now();
      const answer = await new Promise<string>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => socket.write('GET /api/tags HTTP/1.1\r\nHost: x\r\n'));
        let received = '';
        // One more header line every 100 ms, never the blank line that ends them.
        const drip = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 100);
        socket.on('data', (chunk) => (received += chunk.toString()));
        socket.on('close', () => {
          clearInterval(drip);
          resolve(received);
        });
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(answer.endsWith('{"errors":{"body":["request timed out"]}}')).toBe(true);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await running.close(100);
    }
  });
});
