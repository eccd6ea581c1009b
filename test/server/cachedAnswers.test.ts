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
import { countKoaContexts } from '../support/koaContexts';
import { requestOrigin } from '../../server/http/requestOrigin';
import { HTML, pageAnswer, PAGE_CSP, sendAnswer, tagged } from '../../routes/site/answer';

/** Headers that differ between any two answers (a fresh request id, the time, the connection's state). */
const PER_ANSWER = new Set(['x-request-id', 'date', 'connection', 'keep-alive']);

function comparable(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_ANSWER.has(name)));
}

/** The headers as sent, in order and as spelled, without the per-answer ones. */
function rawComparable(response: request.Response): string[][] {
  const pairs: string[][] = [];
  const raw = (response as unknown as { res: IncomingMessage }).res.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) if (!PER_ANSWER.has(raw[i]!.toLowerCase())) pairs.push([raw[i]!, raw[i + 1]!]);
  return pairs;
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
  return { agent: request(app.callback()), handledByKoa: countKoaContexts(app) };
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

/** When the pages below last changed (their Last-Modified). */
const LAST_MODIFIED = new Date('2026-01-01T10:00:00Z');

/** The Host the pages are asked at unless a test sets another (supertest's own names a new port each request). */
const HOST = 'site.example';

/** An app's GET and HEAD, asked at HOST. */
function atHost(app: ReturnType<typeof request>) {
  return { get: (path: string) => app.get(path).set('Host', HOST), head: (path: string) => app.head(path).set('Host', HOST) };
}
type Agent = ReturnType<typeof atHost>;
type PageRequest = (agent: Agent) => request.Test;

/**
 * One read cache behind two apps: `fast` as served (cached answers given before Koa) and `koa` with
 * the fast path off (debug logging, written nowhere), where Koa's `cachedReads` answers the same
 * cached page. The page is a site page as the routes store it (`pageAnswer`: CSP, Cache-Control,
 * ETag, Last-Modified), keyed by the origin it was asked at and naming it in its body.
 */
function pagesBothWays(options: { cors?: CorsSettings; trustProxy?: boolean; requestsPerIp?: number } = {}) {
  const cache = new ReadCache(new ManualClock());
  cache.addKeyFunction((path, _query, origin) => (path === '/page' ? `page ${origin()}` : undefined));
  const router = new Router();
  let computed = 0;
  router.get('/page', async (ctx) => {
    const origin = `${ctx.protocol}://${ctx.host}`;
    sendAnswer(ctx, await cache.readAnswer(`page ${origin}`, async () => tagged(pageAnswer(`<p>page ${++computed} at ${origin}</p>`, HTML, LAST_MODIFIED), [])));
  });
  const settings = loadConfig({ RATE_LIMIT: options.requestsPerIp ? 'on' : 'off', RATE_LIMIT_STORE: 'memory', RATE_LIMIT_REQUESTS_PER_IP: String(options.requestsPerIp ?? 1000) }).rateLimits;
  const make = (logger: ReturnType<typeof createLogger>) => {
    const rateLimits = createRateLimits({ settings, tokens: createTokenService('a-secret-that-is-long-enough-for-hs256-keys', 60), logger });
    const app = createApp({ logger, routers: [router], readCache: cache, rateLimits, cors: options.cors, proxy: { trust: options.trustProxy ?? false, hops: 1 } });
    return { agent: atHost(request(app.callback())), handled: countKoaContexts(app) };
  };
  const fast = make(createLogger('silent'));
  const koa = make(createLogger('debug', { write: () => {} }));
  return { fast: fast.agent, koa: koa.agent, handledByKoa: fast.handled, koaHandled: koa.handled, computed: () => computed };
}

/**
 * Stores the page (through Koa's route), then sends `send` to both apps: the fast app answers before
 * Koa, and its status, body and headers (in order, as spelled) are exactly Koa's `cachedReads` answer.
 */
async function sameBothWays(setup: ReturnType<typeof pagesBothWays>, send: PageRequest, warm: PageRequest = (agent) => agent.get('/page')) {
  await warm(setup.koa).expect(200);
  const viaKoa = await send(setup.koa);
  const before = setup.handledByKoa();
  const beforeKoa = await send(setup.fast);
  expect(setup.handledByKoa()).toBe(before);
  expect(beforeKoa.status).toBe(viaKoa.status);
  expect(beforeKoa.text).toBe(viaKoa.text);
  expect(rawComparable(beforeKoa)).toEqual(rawComparable(viaKoa));
  expect(beforeKoa.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  return beforeKoa;
}

describe('cached pages given before Koa', () => {
  it('answer 200 with the page, its policy replacing the API one, its validators, CORS, type and length as Koa does', async () => {
    const setup = pagesBothWays();
    const page = await sameBothWays(setup, (agent) => agent.get('/page'));
    expect(page.status).toBe(200);
    expect(page.text).toBe('<p>page 1 at http://site.example</p>');
    expect(page.headers['content-security-policy']).toBe(PAGE_CSP);
    expect(page.headers['cache-control']).toBe('public, max-age=60');
    expect(page.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(page.headers['last-modified']).toBe(LAST_MODIFIED.toUTCString());
    expect(page.headers['content-type']).toBe(HTML);
    expect(page.headers['content-length']).toBe(String(Buffer.byteLength(page.text)));
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['access-control-allow-origin']).toBe('*');
    expect(page.headers.vary).toBe('Origin');
    expect(setup.computed()).toBe(1);
  });

  it('answer 304 without a body, type or length to a matching If-None-Match (strong, weak, in a list, *), as Koa does', async () => {
    const setup = pagesBothWays();
    const etag = (await setup.koa.get('/page').expect(200)).headers.etag!;
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, `"other",${etag} , "more"`, '*']) {
      const answer = await sameBothWays(setup, (agent) => agent.get('/page').set('If-None-Match', ifNoneMatch));
      expect({ ifNoneMatch, status: answer.status }).toEqual({ ifNoneMatch, status: 304 });
      expect(answer.text).toBe('');
      expect(answer.headers['content-type']).toBeUndefined();
      expect(answer.headers['content-length']).toBeUndefined();
      expect(answer.headers['transfer-encoding']).toBeUndefined();
      expect(answer.headers.etag).toBe(etag);
      expect(answer.headers['cache-control']).toBe('public, max-age=60');
      expect(answer.headers['last-modified']).toBe(LAST_MODIFIED.toUTCString());
      expect(answer.headers['content-security-policy']).toBe(PAGE_CSP);
      expect(answer.headers['access-control-allow-origin']).toBe('*');
    }
  });

  it('answer 304 to an If-Modified-Since at or after Last-Modified, as Koa does', async () => {
    const setup = pagesBothWays();
    for (const since of [LAST_MODIFIED, new Date(LAST_MODIFIED.getTime() + 86_400_000)]) {
      const answer = await sameBothWays(setup, (agent) => agent.get('/page').set('If-Modified-Since', since.toUTCString()));
      expect(answer.status).toBe(304);
      expect(answer.text).toBe('');
      expect(answer.headers['content-length']).toBeUndefined();
    }
  });

  it('answer 200 with the page when the validators do not match, as Koa does', async () => {
    const setup = pagesBothWays();
    const etag = (await setup.koa.get('/page').expect(200)).headers.etag!;
    const earlier = new Date(LAST_MODIFIED.getTime() - 1000).toUTCString();
    const stale: Record<string, string>[] = [
      { 'If-None-Match': '"not-the-etag"' },
      { 'If-None-Match': `W/"x", "y"` },
      { 'If-None-Match': etag.slice(0, -2) + '"' },
      { 'If-Modified-Since': earlier },
      { 'If-Modified-Since': 'not a date' },
      // Both are checked: a matching ETag with a stale date, a stale ETag with a matching date.
      { 'If-None-Match': etag, 'If-Modified-Since': earlier },
      { 'If-None-Match': '"not-the-etag"', 'If-Modified-Since': LAST_MODIFIED.toUTCString() },
      // An end-to-end reload.
      { 'If-None-Match': etag, 'Cache-Control': 'no-cache' },
    ];
    for (const validators of stale) {
      const answer = await sameBothWays(setup, (agent) => agent.get('/page').set(validators));
      expect({ validators, status: answer.status }).toEqual({ validators, status: 200 });
      expect(answer.text).toContain('<p>page 1 at ');
      expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(answer.text)));
    }
  });

  it('behind a trusted proxy, key the page by X-Forwarded-Proto and X-Forwarded-Host, as Koa does', async () => {
    const setup = pagesBothWays({ trustProxy: true });
    const forwarded = { 'X-Forwarded-For': '203.0.113.5', 'X-Forwarded-Proto': 'HTTPS, http', 'X-Forwarded-Host': 'pages.example, inner.example' };
    const viaProxy: PageRequest = (agent) => agent.get('/page').set(forwarded);
    const page = await sameBothWays(setup, viaProxy, viaProxy);
    expect(page.text).toBe('<p>page 1 at https://pages.example</p>');
    expect((await sameBothWays(setup, (agent) => agent.get('/page').set(forwarded).set('If-None-Match', page.headers.etag!), viaProxy)).status).toBe(304);
    // Another forwarded origin is another page: not in the cache, so Koa computes it.
    const before = setup.handledByKoa();
    const other = await setup.fast.get('/page').set({ ...forwarded, 'X-Forwarded-Host': 'other.example' }).expect(200);
    expect(setup.handledByKoa()).toBe(before + 1);
    expect(other.text).toBe('<p>page 2 at https://other.example</p>');
    // Without the forwarded headers, the origin is the Host the request was made to.
    const direct: PageRequest = (agent) => agent.get('/page').set('Host', 'site.example:8080');
    expect((await sameBothWays(setup, direct, direct)).text).toBe('<p>page 3 at http://site.example:8080</p>');
    expect(setup.computed()).toBe(3);
  });

  it('without a trusted proxy, ignore X-Forwarded-Proto and X-Forwarded-Host, as Koa does', async () => {
    const setup = pagesBothWays({ trustProxy: false });
    const spoofed: PageRequest = (agent) => agent.get('/page').set({ 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'evil.example' });
    const page = await sameBothWays(setup, spoofed);
    expect(page.text).toBe('<p>page 1 at http://site.example</p>');
    expect(setup.computed()).toBe(1);
  });

  it('give allowed, refused and absent origins the CORS headers Koa gives a page', async () => {
    const cors: CorsSettings = { origins: ['https://front.example'], maxAgeSeconds: 600 };
    for (const origin of ['https://front.example', 'https://elsewhere.example', undefined]) {
      const setup = pagesBothWays({ cors });
      const get: PageRequest = (agent) => (origin ? agent.get('/page').set('Origin', origin) : agent.get('/page'));
      const page = await sameBothWays(setup, get);
      expect(page.headers['access-control-allow-origin']).toBe(origin === 'https://front.example' ? origin : undefined);
      expect(page.headers['access-control-expose-headers']).toBe(origin === 'https://front.example' ? 'Retry-After,X-Request-Id' : undefined);
      expect(page.headers.vary).toBe('Origin');
      const etag = page.headers.etag!;
      const notModified = await sameBothWays(setup, (agent) => get(agent).set('If-None-Match', etag));
      expect(notModified.status).toBe(304);
      expect(notModified.headers['access-control-allow-origin']).toBe(page.headers['access-control-allow-origin']);
    }
  });

  it('echo a sane X-Request-Id on pages and 304s', async () => {
    const setup = pagesBothWays();
    const page = await setup.koa.get('/page').expect(200);
    expect((await setup.fast.get('/page').set('X-Request-Id', 'trace-page.1')).headers['x-request-id']).toBe('trace-page.1');
    const notModified = await setup.fast.get('/page').set({ 'X-Request-Id': 'trace-page.2', 'If-None-Match': page.headers.etag! }).expect(304);
    expect(notModified.headers['x-request-id']).toBe('trace-page.2');
    expect(setup.handledByKoa()).toBe(0);
  });

  it('are counted against the per-address request limit (304s too), and over it Koa answers 429', async () => {
    const setup = pagesBothWays({ requestsPerIp: 3 });
    const etag = (await setup.koa.get('/page').expect(200)).headers.etag!;
    const statuses = [];
    for (let n = 0; n < 2; n += 1) statuses.push((await setup.fast.get('/page')).status);
    statuses.push((await setup.fast.get('/page').set('If-None-Match', etag)).status);
    statuses.push((await setup.fast.get('/page').set('If-None-Match', etag)).status);
    expect(statuses).toEqual([200, 200, 304, 429]);
    expect(setup.handledByKoa()).toBe(1);
  });

  it('leave HEAD, requests with credentials and pages not yet cached to Koa', async () => {
    const setup = pagesBothWays();
    await setup.fast.get('/page').expect(200);
    await setup.fast.head('/page').expect(200);
    await setup.fast.get('/page').set('Authorization', 'Token x').expect(200);
    await setup.fast.get('/page').set('Host', 'uncached.example').expect(200);
    expect(setup.handledByKoa()).toBe(4);
    await setup.fast.get('/page').set('Host', 'uncached.example').expect(200);
    expect(setup.handledByKoa()).toBe(4);
  });
});

describe('requestOrigin', () => {
  it("agrees with Koa's `${ctx.protocol}://${ctx.host}` for every proxy setting and forwarded header", async () => {
    const cases: Record<string, string>[] = [
      {},
      { Host: 'site.example' },
      { Host: 'site.example:8443' },
      { Host: 'user@site.example' },
      { Host: 'user@[bad' },
      { Host: '[::1]:3000' },
      { 'X-Forwarded-Proto': 'https' },
      { 'X-Forwarded-Proto': 'HTTPS , http', 'X-Forwarded-Host': 'pages.example, inner.example' },
      { 'X-Forwarded-Proto': '', 'X-Forwarded-Host': '' },
      { 'X-Forwarded-Proto': ' https', 'X-Forwarded-Host': ' pages.example ' },
      { 'X-Forwarded-Host': 'user@pages.example', Host: 'site.example' },
      { 'X-Forwarded-Proto': 'ftp', 'X-Forwarded-Host': ',' },
    ];
    for (const trust of [false, true]) {
      const app = new Koa();
      app.proxy = trust;
      app.use((ctx) => {
        ctx.body = { koa: `${ctx.protocol}://${ctx.host}`, ours: requestOrigin(ctx.req as IncomingMessage, trust) };
      });
      for (const headers of cases) {
        const { body } = await request(app.callback()).get('/').set(headers);
        expect({ trust, headers, origin: body.ours }).toEqual({ trust, headers, origin: body.koa });
      }
    }
  });
});
