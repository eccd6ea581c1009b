import Router from '@koa/router';
import request from 'supertest';
import { createApp } from '../../server/app';
import { createTokenService } from '../../lib/auth/tokens';
import { createRateLimits } from '../../server/http/rateLimits';
import { ConfigError, loadConfig } from '../../server/config';
import { createLogger } from '../../lib/logger';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

const FRONT_END = 'https://conduit.example';
const REQUESTED_HEADERS = 'authorization,content-type,x-request-id';

function listOf(header: string | undefined): string[] {
  return (header ?? '').split(',').map((v) => v.trim().toLowerCase()).filter(Boolean);
}

function expectCorsAnswer(response: request.Response, origin = '*') {
  expect(response.headers['access-control-allow-origin']).toBe(origin);
  expect(listOf(response.headers['access-control-expose-headers'])).toEqual(expect.arrayContaining(['retry-after', 'x-request-id']));
  expect(response.headers['access-control-allow-credentials']).toBeUndefined();
}

describe('CORS with the default CORS_ORIGINS=*', () => {
  let api: TestApi;
  beforeAll(async () => {
    // Tight limits: preflights must never count, and the limiter's 429 must carry the CORS headers.
    api = await startTestApi({ env: { RATE_LIMIT: 'on', RATE_LIMIT_STORE: 'memory', RATE_LIMIT_PREVIEWS_PER_IP: '1', RATE_LIMIT_WRITES_PER_IP: '40' } });
  });
  afterAll(async () => {
    await api.close();
  });

  it.each([
    ['GET', '/api/articles/some-slug'],
    ['HEAD', '/api/articles'],
    ['POST', '/api/articles/some-slug/favorite'],
    ['PUT', '/api/user'],
    ['PATCH', '/api/articles/some-slug'],
    ['DELETE', '/api/articles/some-slug/comments/1'],
  ])('answers a preflight for %s %s with 204, the method, the headers clients send and a max age', async (method, path) => {
    const response = await api
      .http()
      .options(path)
      .set('Origin', FRONT_END)
      .set('Access-Control-Request-Method', method)
      .set('Access-Control-Request-Headers', REQUESTED_HEADERS);
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(listOf(response.headers['access-control-allow-methods'])).toContain(method.toLowerCase());
    expect(listOf(response.headers['access-control-allow-headers'])).toEqual(expect.arrayContaining(listOf(REQUESTED_HEADERS)));
    expect(response.headers['access-control-max-age']).toBe('600');
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    expect(response.headers['allow']).toBeUndefined(); // not the routers' OPTIONS/405 handling
  });

  it('never rate-limits a preflight: past the per-IP request limit, preflights still answer 204 and requests 429 with CORS headers', async () => {
    const settings = loadConfig({ NODE_ENV: 'test', RATE_LIMIT_STORE: 'memory', RATE_LIMIT_REQUESTS_PER_IP: '3' }).rateLimits;
    const logger = createLogger('silent');
    const limits = createRateLimits({ settings, tokens: createTokenService(undefined, 60), logger });
    const router = new Router();
    router.get('/api/tags', (ctx) => {
      ctx.body = { tags: [] };
    });
    const app = createApp({ logger, routers: [router], rateLimits: limits }).callback();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const response = await request(app).options('/api/tags').set('Origin', FRONT_END).set('Access-Control-Request-Method', 'GET');
      statuses.push(response.status);
    }
    expect(new Set(statuses)).toEqual(new Set([204]));
    const reads: request.Response[] = [];
    for (let i = 0; i < 4; i += 1) reads.push(await request(app).get('/api/tags').set('Origin', FRONT_END));
    expect(reads.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expectCorsAnswer(reads[3]!);
  });

  it('puts Access-Control-Allow-Origin and the exposed headers on 200, 401, 404, 422 and 429 answers', async () => {
    const ok = await api.http().get('/api/tags').set('Origin', FRONT_END);
    const cached = await api.http().get('/api/tags').set('Origin', FRONT_END); // the cached-read fast path
    const unauthorized = await api.http().get('/api/user').set('Origin', FRONT_END);
    const missing = await api.http().get('/api/articles/no-such-article').set('Origin', FRONT_END);
    const invalid = await api.http().post('/api/users').set('Origin', FRONT_END).send({ user: { username: '' } });
    await api.http().post('/api/preview').set('Origin', FRONT_END).send({ body: 'x' });
    const limited = await api.http().post('/api/preview').set('Origin', FRONT_END).send({ body: 'x' });
    expect([ok.status, cached.status, unauthorized.status, missing.status, invalid.status, limited.status]).toEqual([200, 200, 401, 404, 422, 429]);
    for (const response of [ok, cached, unauthorized, missing, invalid, limited]) expectCorsAnswer(response);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(invalid.body.errors.body.length).toBeGreaterThan(0);
  });

  it('answers an authenticated write from another origin', async () => {
    const user = await registerUser(api);
    const response = await api
      .http()
      .post('/api/articles')
      .set('Origin', FRONT_END)
      .set(auth(user.token))
      .send({ article: { title: 'Cross-origin', description: 'd', body: 'b' } });
    expect(response.status).toBe(201);
    expectCorsAnswer(response);
  });

  it('puts them on a 500 too', async () => {
    const router = new Router();
    router.get('/crash', () => {
      throw new Error('boom');
    });
    const app = createApp({ logger: createLogger('silent'), routers: [router] });
    const response = await request(app.callback()).get('/crash').set('Origin', FRONT_END);
    expect(response.status).toBe(500);
    expectCorsAnswer(response);
  });
});

describe('CORS with a list of origins', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ env: { CORS_ORIGINS: `${FRONT_END}, http://localhost:4100/`, CORS_MAX_AGE_SECONDS: '120' } });
  });
  afterAll(async () => {
    await api.close();
  });

  it('echoes a listed origin, with Vary: Origin', async () => {
    for (const origin of [FRONT_END, 'http://localhost:4100']) {
      const response = await api.http().get('/api/tags').set('Origin', origin);
      expectCorsAnswer(response, origin);
      expect(listOf(response.headers['vary'])).toContain('origin');
      const denied = await api.http().get('/api/user').set('Origin', origin);
      expect(denied.status).toBe(401);
      expectCorsAnswer(denied, origin);
      const preflight = await api.http().options('/api/user').set('Origin', origin).set('Access-Control-Request-Method', 'PUT');
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe(origin);
      expect(preflight.headers['access-control-max-age']).toBe('120');
    }
  });

  it('gives an unlisted origin no Access-Control-Allow-Origin, on answers and preflights alike', async () => {
    for (const origin of ['https://evil.example', 'http://conduit.example', 'https://conduit.example:8443']) {
      const response = await api.http().get('/api/tags').set('Origin', origin);
      expect(response.status).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(response.headers['access-control-expose-headers']).toBeUndefined();
      expect(listOf(response.headers['vary'])).toContain('origin');
      const preflight = await api.http().options('/api/user').set('Origin', origin).set('Access-Control-Request-Method', 'PUT');
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
    }
    const noOrigin = await api.http().get('/api/tags');
    expect(noOrigin.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS configuration', () => {
  it('defaults to any origin and a 600 s preflight cache', () => {
    expect(loadConfig({}).cors).toEqual({ origins: '*', maxAgeSeconds: 600 });
  });

  it('reads a comma-separated list of origins in the form browsers send', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://A.example/, http://localhost:4100 ,https://b.example:443' }).cors.origins).toEqual([
      'https://a.example',
      'http://localhost:4100',
      'https://b.example',
    ]);
  });

  it.each(['', 'conduit.example', 'https://a.example/app', 'https://a.example,*', 'ftp://a.example', 'https://user@a.example'])('refuses CORS_ORIGINS=%j', (value) => {
    expect(() => loadConfig({ CORS_ORIGINS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ CORS_ORIGINS: value })).toThrow(/CORS_ORIGINS must be \* or comma-separated origins/);
  });

  it('refuses a negative or huge CORS_MAX_AGE_SECONDS', () => {
    expect(() => loadConfig({ CORS_MAX_AGE_SECONDS: '-1' })).toThrow(/CORS_MAX_AGE_SECONDS/);
    expect(() => loadConfig({ CORS_MAX_AGE_SECONDS: '100000' })).toThrow(/CORS_MAX_AGE_SECONDS/);
  });
});
