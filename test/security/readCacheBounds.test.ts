import { ManualClock } from '../../lib/clock';
import { loadConfig } from '../../server/config';
import { entryBytes, ReadCache } from '../../server/readCache';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

/**
 * Finding: the anonymous read cache was keyed on the raw URL (junk parameters included), held up to
 * 5,000 answers of any size and had no byte budget, so `GET /api/articles?limit=100&n=<i>` for
 * 2,000 distinct i took the process from 126 to 605 MB.
 */
describe('the read cache is bounded', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    const { token } = await registerUser(api);
    for (let i = 0; i < 5; i += 1) {
      await api.http().post('/api/articles').set(auth(token)).send({ article: { title: `Bounded ${i}`, description: 'd', body: 'b'.repeat(500), tagList: ['bounded'] } }).expect(201);
    }
  });
  afterAll(() => api.close());

  it('keeps one entry for 500 list URLs that differ only in parameters the route ignores', async () => {
    const cache = api.services.readCache;
    cache.invalidate();
    for (let i = 0; i < 500; i += 1) {
      await api.http().get(`/api/articles?limit=100&n=${i}`).expect(200);
    }
    expect(cache.size).toBe(1);
    // Parameter order, defaults and letter case of names do not make entries either.
    await api.http().get('/api/articles').expect(200);
    await api.http().get('/api/articles?limit=20').expect(200);
    await api.http().get('/api/articles?offset=0&limit=20&sort=created&x=y').expect(200);
    await api.http().get('/api/articles?tag=BOUNDED').expect(200);
    await api.http().get('/api/articles?tag=bounded&limit=20').expect(200);
    expect(cache.size).toBe(3);
  }, 120_000);

  it('answers an invalid query with 422 and caches nothing for it', async () => {
    const cache = api.services.readCache;
    cache.invalidate();
    await api.http().get('/api/articles?limit=1000').expect(422);
    await api.http().get('/api/articles?limit=1000').expect(422);
    expect(cache.size).toBe(0);
  });
});

describe('ReadCache budget and sweeping (injected clock)', () => {
  it('never holds more bytes than its budget, however many distinct keys are read', async () => {
    const clock = new ManualClock();
    const maxBytes = 64 * 1024;
    const cache = new ReadCache(clock, { maxBytes, ttlMs: 60_000, sweepIntervalMs: 0 });
    const body = { articles: 'x'.repeat(1000) };
    let largest = 0;
    for (let i = 0; i < 5000; i += 1) {
      await cache.read(`/api/articles?n=${i}`, async () => body);
      largest = Math.max(largest, cache.bytes);
      clock.advance(1);
    }
    expect(largest).toBeLessThanOrEqual(maxBytes);
    expect(cache.size).toBeLessThanOrEqual(Math.floor(maxBytes / entryBytes('/api/articles?n=0000', Buffer.from(JSON.stringify(body)))));
    expect(cache.size).toBeGreaterThan(10);
    cache.close();
  });

  it('does not keep an answer larger than the whole budget', async () => {
    const cache = new ReadCache(new ManualClock(), { maxBytes: 4096, sweepIntervalMs: 0 });
    await cache.read('/big', async () => 'y'.repeat(10_000));
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });

  it('sweeps expired entries out without their being read again', async () => {
    const clock = new ManualClock();
    const cache = new ReadCache(clock, { ttlMs: 1000, sweepIntervalMs: 0 });
    for (let i = 0; i < 100; i += 1) await cache.read(`/k${i}`, async () => i);
    expect(cache.size).toBe(100);
    clock.advance(999);
    cache.sweep();
    expect(cache.size).toBe(100);
    clock.advance(1);
    cache.sweep();
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });

  it('sweeps on its own timer, which does not keep the process alive', async () => {
    const clock = new ManualClock();
    const cache = new ReadCache(clock, { ttlMs: 1000, sweepIntervalMs: 20 });
    await cache.read('/a', async () => 1);
    clock.advance(1000);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(cache.size).toBe(0);
    cache.close();
  });

  it('keeps nothing with a budget of 0 (the cache turned off), and still shares concurrent computations', async () => {
    const cache = new ReadCache(new ManualClock(), { maxBytes: 0, sweepIntervalMs: 0 });
    let calls = 0;
    const compute = async () => ++calls;
    await Promise.all([cache.read('/a', compute), cache.read('/a', compute)]);
    await cache.read('/a', compute);
    expect(calls).toBe(2);
    expect(cache.size).toBe(0);
  });
});

describe('read cache configuration', () => {
  it('has a byte budget of 4 MiB, a 1 s freshness and 4 computations at once by default, and names a bad value', () => {
    expect(loadConfig({}).readCache).toEqual({ maxBytes: 4 * 1024 * 1024, ttlMs: 1000, maxComputing: 4 });
    expect(loadConfig({ READ_CACHE_MAX_BYTES: '1048576', READ_CACHE_TTL_MS: '250', READ_CACHE_MAX_COMPUTING: '8' }).readCache).toEqual({ maxBytes: 1048576, ttlMs: 250, maxComputing: 8 });
    expect(() => loadConfig({ READ_CACHE_MAX_BYTES: 'lots' })).toThrow(/READ_CACHE_MAX_BYTES/);
    expect(() => loadConfig({ READ_CACHE_MAX_COMPUTING: '0' })).toThrow(/READ_CACHE_MAX_COMPUTING/);
  });
});
