import Router from '@koa/router';
import mongoose from 'mongoose';
import request from 'supertest';
import { createApp } from '../../server/app';
import { createTokenService } from '../../lib/auth/tokens';
import { loadConfig } from '../../server/config';
import { createRateLimits } from '../../server/http/rateLimits';
import { createLogger } from '../../lib/logger';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

/**
 * rate-limiter-flexible reads the time from Date.now() and takes no clock, so the tests move Date
 * (and only Date: timers, the database driver and sockets keep real time) with jest's fake clock.
 * It only ever moves forward from the real time, so the database's TTL monitor (real time) never
 * deletes a limit before the test's clock says it ends.
 */
function fakeDateOnly(): void {
  jest.useFakeTimers({
    now: Date.now(),
    advanceTimers: true,
    doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
  });
}
const advance = (ms: number) => jest.setSystemTime(Date.now() + ms);

const LIMITED = /^too many [a-z -]+; try again in \d+ seconds?$/;

function expectLimited(response: request.Response, what = 'login attempts') {
  expect(response.status).toBe(429);
  expect(response.body).toEqual({ errors: { body: [expect.stringMatching(LIMITED)] } });
  expect(response.body.errors.body[0]).toContain(`too many ${what}`);
  expect(response.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  return Number(response.headers['retry-after']);
}

afterEach(() => {
  jest.useRealTimers();
});

describe.each(['mongo', 'memory'])('login brute force (%s store)', (store) => {
  let api: TestApi;
  beforeEach(async () => {
    fakeDateOnly();
    api = await startTestApi({ env: { RATE_LIMIT: 'on', RATE_LIMIT_STORE: store, TRUST_PROXY: 'on' } });
  });
  afterEach(async () => {
    await api.close();
  });

  const login = (email: string, password: string, ip = '203.0.113.7') =>
    api.http().post('/api/users/login').set('X-Forwarded-For', ip).send({ user: { email, password } });

  it('200 wrong passwords in a row: 429s with Retry-After, the right password refused while blocked and accepted after', async () => {
    const user = await registerUser(api);
    const statuses: number[] = [];
    const retryAfters: number[] = [];
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const response = await login(user.email, `wrong password ${attempt}`);
      statuses.push(response.status);
      if (response.status === 429) retryAfters.push(expectLimited(response));
    }
    // The first RATE_LIMIT_LOGIN_FAILS_PER_ACCOUNT - 1 (4) failures answer 401; the 5th starts a 30 s block.
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses.slice(4).every((status) => status === 429)).toBe(true);
    expect(Math.max(...retryAfters)).toBeLessThanOrEqual(30);

    const blocked = await login(user.email, 'correct horse battery');
    expectLimited(blocked);
    expect(blocked.body.user).toBeUndefined();

    advance(31_000);
    const accepted = await login(user.email, 'correct horse battery');
    expect(accepted.status).toBe(200);
    expect(accepted.body.user.token).toEqual(expect.any(String));
    // Success cleared the consecutive failures: the next mistake is an ordinary 401.
    expect((await login(user.email, 'one typo')).status).toBe(401);
  });

  it('each further failure after a block doubles the next block', async () => {
    const user = await registerUser(api);
    for (let attempt = 0; attempt < 4; attempt += 1) expect((await login(user.email, 'wrong')).status).toBe(401);
    expect(expectLimited(await login(user.email, 'wrong'))).toBe(30);
    advance(31_000);
    expect(expectLimited(await login(user.email, 'wrong'))).toBe(60);
    advance(61_000);
    expect(expectLimited(await login(user.email, 'wrong'))).toBe(120);
    advance(60_000);
    expectLimited(await login(user.email, 'correct horse battery'));
  });

  it('blocks the email from the attacking address only: its owner still logs in from another', async () => {
    const user = await registerUser(api);
    for (let attempt = 0; attempt < 10; attempt += 1) await login(user.email, 'wrong', '198.51.100.66');
    expectLimited(await login(user.email, 'correct horse battery', '198.51.100.66'));
    expect((await login(user.email, 'correct horse battery', '192.0.2.10')).status).toBe(200);
  });
});

describe('login failures per IP', () => {
  let api: TestApi;
  beforeAll(async () => {
    fakeDateOnly();
    api = await startTestApi({ env: { RATE_LIMIT: 'on', RATE_LIMIT_LOGIN_FAILS_PER_IP: '10' } });
  });
  afterAll(async () => {
    await api.close();
  });

  it('an address guessing many emails is blocked for a day after RATE_LIMIT_LOGIN_FAILS_PER_IP failures', async () => {
    const user = await registerUser(api);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 12; attempt += 1) {
      const response = await api.http().post('/api/users/login').send({ user: { email: `guess${attempt}@example.com`, password: 'password1' } });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
    const blocked = await api.http().post('/api/users/login').send({ user: { email: user.email, password: 'correct horse battery' } });
    expect(expectLimited(blocked)).toBeGreaterThan(86_000);
    advance(86_401_000);
    const later = await api.http().post('/api/users/login').send({ user: { email: user.email, password: 'correct horse battery' } });
    expect(later.status).toBe(200);
  });
});

describe('sign-ups, writes, votes, previews and all requests', () => {
  let api: TestApi;
  afterEach(async () => {
    await api?.close();
  });

  it('a burst of 40 sign-ups from one address is limited (RATE_LIMIT_SIGNUPS_PER_IP, 10 an hour)', async () => {
    api = await startTestApi({ env: { RATE_LIMIT: 'on' } });
    const statuses: number[] = [];
    for (let n = 0; n < 40; n += 1) {
      const response = await api
        .http()
        .post('/api/users')
        .send({ user: { username: `burst${n}_${Date.now() % 100000}`, email: `burst${n}_${Date.now()}@example.com`, password: 'correct horse battery' } });
      statuses.push(response.status);
      if (response.status === 429) expectLimited(response, 'sign-ups');
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
  });

  it('TRUST_PROXY off (the default) ignores X-Forwarded-For: a client cannot pose as many addresses', async () => {
    api = await startTestApi({ env: { RATE_LIMIT: 'on', RATE_LIMIT_PREVIEWS_PER_IP: '3' } });
    const statuses: number[] = [];
    for (let n = 0; n < 5; n += 1) {
      const response = await api.http().post('/api/preview').set('X-Forwarded-For', `198.51.100.${n}`).send({ body: '# hi' });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it('TRUST_PROXY on takes the client from X-Forwarded-For, PROXY_HOPS entries from the right', async () => {
    api = await startTestApi({ env: { RATE_LIMIT: 'on', RATE_LIMIT_PREVIEWS_PER_IP: '3', TRUST_PROXY: 'on', PROXY_HOPS: '2' } });
    const preview = (forwardedFor: string) => api.http().post('/api/preview').set('X-Forwarded-For', forwardedFor).send({ body: '# hi' });
    // Different clients behind the two trusted proxies each get their own allowance...
    for (let n = 0; n < 5; n += 1) expect((await preview(`198.51.100.${n}, 10.0.0.1`)).status).toBe(200);
    // ...and whatever a client writes to the left of what the proxies added is not believed.
    const statuses: number[] = [];
    for (let n = 0; n < 5; n += 1) statuses.push((await preview(`1.2.3.${n}, 203.0.113.9, 10.0.0.1`)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it('writes are limited per account whatever address they come from', async () => {
    api = await startTestApi({ env: { RATE_LIMIT: 'on', RATE_LIMIT_WRITES_PER_ACCOUNT: '3', TRUST_PROXY: 'on' } });
    const user = await registerUser(api);
    const statuses: number[] = [];
    for (let n = 0; n < 5; n += 1) {
      const response = await api.http().put('/api/user').set(auth(user.token)).set('X-Forwarded-For', `198.51.100.${n}`).send({ user: { bio: `bio ${n}` } });
      statuses.push(response.status);
      if (response.status === 429) expectLimited(response, 'writes');
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    // Another account from the same addresses is not affected.
    const other = await registerUser(api);
    expect((await api.http().put('/api/user').set(auth(other.token)).set('X-Forwarded-For', '198.51.100.1').send({ user: { bio: 'x' } })).status).toBe(200);
  });

  it('writes are limited per address (RATE_LIMIT_WRITES_PER_IP)', async () => {
    api = await startTestApi({ env: { RATE_LIMIT: 'on', RATE_LIMIT_WRITES_PER_IP: '4' } });
    const statuses: number[] = [];
    for (let n = 0; n < 6; n += 1) statuses.push((await api.http().post('/api/preview').send({ body: 'x' })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    // Reads are not writes.
    expect((await api.http().get('/api/tags')).status).toBe(200);
  });

  it('votes and favorites are limited per account', async () => {
    api = await startTestApi({ env: { RATE_LIMIT: 'on', RATE_LIMIT_VOTES_PER_ACCOUNT: '2' } });
    const author = await registerUser(api);
    const voter = await registerUser(api);
    const created = await api
      .http()
      .post('/api/articles')
      .set(auth(author.token))
      .send({ article: { title: 'Limits', description: 'd', body: 'b', tagList: [] } })
      .expect(201);
    const slug = created.body.article.slug as string;
    const reply = (await api.http().post(`/api/articles/${slug}/comments`).set(auth(author.token)).send({ comment: { body: 'a reply' } }).expect(200)).body.comment as { id: number };
    expect((await api.http().post(`/api/articles/${slug}/favorite`).set(auth(voter.token))).status).toBe(200);
    expect((await api.http().delete(`/api/articles/${slug}/favorite`).set(auth(voter.token))).status).toBe(200);
    expectLimited(await api.http().post(`/api/articles/${slug}/votes`).set(auth(voter.token)).send({ vote: { weight: 5000 } }), 'votes');
    expectLimited(await api.http().post(`/api/articles/${slug}/favorite`).set(auth(voter.token)), 'votes');
    // Comment votes share the account's vote limit.
    expectLimited(await api.http().post(`/api/articles/${slug}/comments/${reply.id}/votes`).set(auth(voter.token)).send({ vote: { weight: 5000 } }), 'votes');
  });

  it('all requests are limited per address (RATE_LIMIT_REQUESTS_PER_IP), cached reads included', async () => {
    api = await startTestApi({ env: { RATE_LIMIT: 'on', RATE_LIMIT_REQUESTS_PER_IP: '5' } });
    const statuses: number[] = [];
    for (let n = 0; n < 7; n += 1) statuses.push((await api.http().get('/api/articles')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
  });
});

describe('the mongo store', () => {
  it('is shared by every API process on the database (two apps, one count)', async () => {
    const api = await startTestApi({ env: { RATE_LIMIT: 'on', RATE_LIMIT_PREVIEWS_PER_IP: '4', TRUST_PROXY: 'on' } });
    try {
      // A second app with limiters of its own on the same database, as a second API process has.
      const settings = loadConfig({ NODE_ENV: 'test', RATE_LIMIT_PREVIEWS_PER_IP: '4' }).rateLimits;
      const logger = createLogger('silent');
      const limits = createRateLimits({ settings, connection: mongoose.connection, tokens: createTokenService(undefined, 60), logger });
      await limits.ready();
      const router = new Router({ prefix: '/api/preview' });
      router.post('/', limits.preview, (ctx) => {
        ctx.body = { html: '' };
      });
      const second = createApp({ logger, routers: [router], rateLimits: limits, proxy: { trust: true, hops: 1 } });
      const client = '203.0.113.50';
      const statuses: number[] = [];
      for (let n = 0; n < 3; n += 1) {
        statuses.push((await api.http().post('/api/preview').set('X-Forwarded-For', client).send({ body: 'x' })).status);
        statuses.push((await request(second.callback()).post('/api/preview').set('X-Forwarded-For', client).send({ body: 'x' })).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
      expect(await mongoose.connection.collection('rate_limits').countDocuments({})).toBeGreaterThan(0);
    } finally {
      await api.close();
    }
  });

  it('while the database fails, each process keeps limiting on its own (insurance limiter) instead of failing requests', async () => {
    const failing = { collection: () => ({ findOneAndUpdate: () => Promise.reject(new Error('database unreachable')), findOne: () => Promise.reject(new Error('database unreachable')) }) };
    const settings = loadConfig({ NODE_ENV: 'test', RATE_LIMIT_PREVIEWS_PER_IP: '2' }).rateLimits;
    const logger = createLogger('silent');
    const limits = createRateLimits({ settings, connection: failing as unknown as mongoose.Connection, tokens: createTokenService(undefined, 60), logger });
    const router = new Router({ prefix: '/api/preview' });
    router.post('/', limits.preview, (ctx) => {
      ctx.body = { html: '' };
    });
    const app = createApp({ logger, routers: [router], rateLimits: limits });
    const statuses: number[] = [];
    for (let n = 0; n < 4; n += 1) statuses.push((await request(app.callback()).post('/api/preview').send({ body: 'x' })).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
  });
});
