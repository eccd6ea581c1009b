import type { IncomingMessage } from 'node:http';
import Router from '@koa/router';
import Koa from 'koa';
import request from 'supertest';
import { createApp } from '../../server/app';
import { clientAddress } from '../../server/http/clientAddress';
import { createRateLimits } from '../../server/http/rateLimits';
import { loadConfig } from '../../server/config';
import type { CorsSettings } from '../../server/http/cors';
import { ReadCache } from '../../server/readCache';
import { createLogger } from '../../lib/logger';
import { createTokenService } from '../../lib/auth/tokens';
import { ManualClock } from '../../lib/clock';

/** Headers that differ between any two answers (a fresh request id, the time, the connection's state). */
const PER_ANSWER = new Set(['x-request-id', 'date', 'connection', 'keep-alive']);

function comparable(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_ANSWER.has(name)));
}

function appWithCachedThings(options: { cors?: CorsSettings; requestsPerIp?: number; trustProxy?: boolean; logLevel?: string } = {}) {
  const cache = new ReadCache(new ManualClock());
  cache.addKeyFunction((path, query) => (path === '/things' ? `things:${String(query.page ?? '1')}` : undefined));
  const router = new Router();
  router.get('/things', async (ctx) => {
    ctx.type = 'application/json';
    ctx.body = await cache.read(`things:${String(ctx.query.page ?? '1')}`, async () => ({ page: ctx.query.page ?? '1' }));
  });
  const logger = createLogger(options.logLevel ?? 'silent');
  const settings = loadConfig({ RATE_LIMIT: options.requestsPerIp ? 'on' : 'off', RATE_LIMIT_STORE: 'memory', RATE_LIMIT_REQUESTS_PER_IP: String(options.requestsPerIp ?? 1000) }).rateLimits;
  const rateLimits = createRateLimits({ settings, tokens: createTokenService('a-secret-that-is-long-enough-for-hs256-keys', 60), logger });
  const app = createApp({ logger, routers: [router], readCache: cache, rateLimits, cors: options.cors, proxy: { trust: options.trustProxy ?? false, hops: 1 } });
  // Counts the requests Koa handled; the cached answers given before Koa never create a context.
  let handledByKoa = 0;
  const createContext = app.createContext.bind(app);
  app.createContext = (req, res) => {
    handledByKoa += 1;
    return createContext(req, res);
  };
  return { agent: request(app.callback()), handledByKoa: () => handledByKoa };
}

describe('cached answers given before Koa', () => {
  it('answer a repeated anonymous read without Koa, with exactly the headers Koa gives it', async () => {
    const { agent, handledByKoa } = appWithCachedThings();
    const throughKoa = await agent.get('/things?page=2').expect(200, { page: '2' });
    const beforeKoa = await agent.get('/things?page=2&junk=1').expect(200, { page: '2' });
    expect(handledByKoa()).toBe(1);
    expect(comparable(beforeKoa.headers)).toEqual(comparable(throughKoa.headers));
    expect(beforeKoa.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(beforeKoa.headers['x-request-id']).not.toBe(throughKoa.headers['x-request-id']);
    expect(beforeKoa.headers['access-control-allow-origin']).toBe('*');
    expect(beforeKoa.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
  });

  it('echo a sane X-Request-Id and replace an unsafe one, as Koa does', async () => {
    const { agent, handledByKoa } = appWithCachedThings();
    await agent.get('/things').expect(200);
    expect((await agent.get('/things').set('X-Request-Id', 'trace-abc.123')).headers['x-request-id']).toBe('trace-abc.123');
    expect((await agent.get('/things').set('X-Request-Id', 'bad id <script>')).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(handledByKoa()).toBe(1);
  });

  it('give allowed, refused and absent origins the CORS headers Koa gives them', async () => {
    const cors: CorsSettings = { origins: ['https://front.example'], maxAgeSeconds: 600 };
    for (const origin of ['https://front.example', 'https://elsewhere.example', undefined]) {
      const { agent, handledByKoa } = appWithCachedThings({ cors });
      const get = () => (origin ? agent.get('/things').set('Origin', origin) : agent.get('/things'));
      const throughKoa = await get().expect(200);
      const beforeKoa = await get().expect(200);
      expect(handledByKoa()).toBe(1);
      expect(comparable(beforeKoa.headers)).toEqual(comparable(throughKoa.headers));
      expect(beforeKoa.headers['access-control-allow-origin']).toBe(origin === 'https://front.example' ? origin : undefined);
      expect(beforeKoa.headers.vary).toBe('Origin');
    }
  });

  it('leave requests with credentials, other methods and uncached reads to Koa', async () => {
    const { agent, handledByKoa } = appWithCachedThings();
    await agent.get('/things').expect(200);
    await agent.get('/things').set('Authorization', 'Token x').expect(200);
    await agent.head('/things').expect(200);
    await agent.get('/things?page=3').expect(200);
    await agent.get('/elsewhere').expect(404);
    expect(handledByKoa()).toBe(5);
  });

  it('are counted against the per-address request limit, and over it Koa answers 429', async () => {
    const { agent, handledByKoa } = appWithCachedThings({ requestsPerIp: 3 });
    const statuses = [];
    for (let n = 0; n < 4; n += 1) statuses.push((await agent.get('/things')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(handledByKoa()).toBe(2);
  });

  it('count each client behind a trusted proxy on its own', async () => {
    const { agent } = appWithCachedThings({ requestsPerIp: 2, trustProxy: true });
    const from = (client: string) => agent.get('/things').set('X-Forwarded-For', `198.51.100.7, ${client}`);
    expect([(await from('203.0.113.1')).status, (await from('203.0.113.1')).status, (await from('203.0.113.1')).status]).toEqual([200, 200, 429]);
    expect((await from('203.0.113.2')).status).toBe(200);
  });

  it('are off with debug logging, which logs every request through Koa', async () => {
    const { agent, handledByKoa } = appWithCachedThings({ logLevel: 'debug' });
    await agent.get('/things').expect(200);
    await agent.get('/things').expect(200);
    expect(handledByKoa()).toBe(2);
  });
});

describe('clientAddress', () => {
  it("agrees with Koa's ctx.ip for every proxy setting and X-Forwarded-For", async () => {
    const forwardedValues = [undefined, '', '203.0.113.9', '203.0.113.9, 10.0.0.2', ' 198.51.100.1 ,203.0.113.9 , 10.0.0.2', ',', 'not-an-address'];
    for (const trust of [false, true]) {
      for (const hops of [0, 1, 2]) {
        const app = new Koa();
        app.proxy = trust;
        app.maxIpsCount = hops;
        app.use((ctx) => {
          ctx.body = { koa: ctx.ip, ours: clientAddress(ctx.req as IncomingMessage, { trust, hops }) };
        });
        for (const forwarded of forwardedValues) {
          const req = request(app.callback()).get('/');
          const { body } = await (forwarded === undefined ? req : req.set('X-Forwarded-For', forwarded));
          expect({ trust, hops, forwarded, ip: body.ours }).toEqual({ trust, hops, forwarded, ip: body.koa });
        }
      }
    }
  });
});
