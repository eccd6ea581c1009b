import Router from '@koa/router';
import request from 'supertest';
import { createApp } from '../../server/app';
import { ManualClock } from '../../lib/clock';
import { createLogger } from '../../lib/logger';
import { entryBytes, MAX_PATCHED_PER_VOTE, MAX_VOTES_INTO_COMPUTED, MAX_VOTES_WHILE_COMPUTING, ReadCache } from '../../server/readCache';
import { slottedAnswer, type PresentedAs } from '../../routes/presenters/viewerSlots';

/** A computation the test finishes by hand, counting how often it was started. */
function controlledSource() {
  const starts: Array<(value: unknown) => void> = [];
  return {
    get started() {
      return starts.length;
    },
    compute: () => new Promise<unknown>((resolve) => starts.push(resolve)),
    finish(index: number, value: unknown) {
      starts[index]!(value);
    },
  };
}

const json = (body: Buffer) => JSON.parse(body.toString('utf8')) as unknown;

describe('ReadCache', () => {
  it('answers from the cache until the entry expires', async () => {
    const clock = new ManualClock();
    const cache = new ReadCache(clock, { ttlMs: 1000 });
    let version = 0;
    const compute = async () => ({ version: ++version });
    expect(json(await cache.read('/a', compute))).toEqual({ version: 1 });
    clock.advance(999);
    expect(json(await cache.read('/a', compute))).toEqual({ version: 1 });
    clock.advance(1);
    expect(json(await cache.read('/a', compute))).toEqual({ version: 2 });
  });

  it('lets concurrent misses for one key share one computation', async () => {
    const cache = new ReadCache(new ManualClock());
    const source = controlledSource();
    const reads = [cache.read('/a', source.compute), cache.read('/a', source.compute), cache.read('/b', source.compute)];
    expect(source.started).toBe(2);
    source.finish(0, 'a');
    source.finish(1, 'b');
    expect((await Promise.all(reads)).map(json)).toEqual(['a', 'a', 'b']);
  });

  it('never answers a read that starts after a write with a computation that started before it', async () => {
    const cache = new ReadCache(new ManualClock());
    const source = controlledSource();
    const beforeWrite = cache.read('/a', source.compute);
    cache.invalidate();
    const afterWrite = cache.read('/a', source.compute);
    expect(source.started).toBe(2);
    source.finish(0, 'old');
    source.finish(1, 'new');
    expect(json(await beforeWrite)).toBe('old');
    expect(json(await afterWrite)).toBe('new');
    // The result computed across the write was not kept.
    expect(json(await cache.read('/a', source.compute))).toBe('new');
    expect(source.started).toBe(2);
  });

  it('keeps an answer computed across a write only when the write touched nothing it shows', async () => {
    const cache = new ReadCache(new ManualClock());
    const pending: Array<(tags: string[]) => void> = [];
    let computed = 0;
    const compute = () =>
      new Promise<{ body: Buffer; type: string; tags: string[] }>((resolve) => {
        const version = ++computed;
        pending.push((tags) => resolve({ body: Buffer.from(String(version)), type: 'text/plain', tags }));
      });
    const read = async (key: string) => (await cache.readAnswer(key, compute)).body.toString();

    // A vote on article 2 while the list showing articles 1 and 3 is computed: the list is kept.
    const list = read('list');
    cache.invalidateTagged(['article:2']);
    pending.shift()!(['lists', 'article:1', 'article:3']);
    expect(await list).toBe('1');
    expect(await read('list')).toBe('1');
    expect(computed).toBe(1);

    // A vote on article 3 while the other list showing it is computed: answered, not kept.
    const other = read('other');
    cache.invalidateTagged(['article:3']);
    // A read that starts after the write does not join the computation that started before it.
    const afterWrite = read('other');
    expect(computed).toBe(3);
    pending.shift()!(['lists', 'article:3']);
    pending.shift()!(['lists', 'article:3']);
    expect([await other, await afterWrite]).toEqual(['2', '3']);
    expect(await read('other')).toBe('3');
    expect(computed).toBe(3);
    // And the first list (article 3 is on it) was forgotten.
    const again = read('list');
    pending.shift()!(['lists', 'article:1', 'article:3']);
    expect(await again).toBe('4');
  });

  it('computes at most maxComputing answers at once; the others start in turn as slots free', async () => {
    const cache = new ReadCache(new ManualClock(), { maxComputing: 2 });
    const source = controlledSource();
    const reads = ['/a', '/b', '/c', '/d', '/a'].map((key) => cache.read(key, source.compute));
    expect(source.started).toBe(2);
    source.finish(1, 'b');
    await reads[1];
    expect(source.started).toBe(3);
    source.finish(0, 'a');
    source.finish(2, 'c');
    await Promise.all([reads[0], reads[2]]);
    expect(source.started).toBe(4);
    source.finish(3, 'd');
    expect((await Promise.all(reads)).map(json)).toEqual(['a', 'b', 'c', 'd', 'a']);
    // The slots are free again: the next two misses start at once.
    void cache.read('/e', source.compute);
    void cache.read('/f', source.compute);
    expect(source.started).toBe(6);
  });

  it('answers a miss that waited for a slot from the answer kept meanwhile, without computing it again', async () => {
    const cache = new ReadCache(new ManualClock(), { maxComputing: 1 });
    const source = controlledSource();
    const first = cache.read('/list', source.compute);
    // A write: the next read does not join the computation in flight, and waits for the slot.
    cache.invalidateTagged(['article:9']);
    const second = cache.read('/list', source.compute);
    expect(source.started).toBe(1);
    source.finish(0, 'list');
    expect([json(await first), json(await second)]).toEqual(['list', 'list']);
    expect(source.started).toBe(1);
    expect(json(cache.cached('/list')!.body)).toBe('list');
  });

  it('hands a failed computation\'s slot on to the next miss', async () => {
    const cache = new ReadCache(new ManualClock(), { maxComputing: 1 });
    const failing = cache.read('/a', async () => {
      throw new Error('database unavailable');
    });
    const waiting = cache.read('/b', async () => 'b');
    await expect(failing).rejects.toThrow('database unavailable');
    expect(json(await waiting)).toBe('b');
  });

  it('keeps an answer that waited for a slot across a write, since it read after the write', async () => {
    const cache = new ReadCache(new ManualClock(), { maxComputing: 1 });
    const source = controlledSource();
    const first = cache.read('/a', source.compute);
    const queued = cache.read('/b', source.compute);
    cache.invalidate();
    source.finish(0, 'a');
    await first;
    expect(source.started).toBe(2);
    source.finish(1, 'b');
    expect(json(await queued)).toBe('b');
    expect(json(await cache.read('/b', source.compute))).toBe('b');
    expect(source.started).toBe(2);
  });

  it('forgets entries on invalidate', async () => {
    const cache = new ReadCache(new ManualClock());
    let version = 0;
    const compute = async () => ++version;
    await cache.read('/a', compute);
    cache.invalidate();
    expect(json(await cache.read('/a', compute))).toBe(2);
  });

  it('shares a failure with the requests that waited for it, and retries on the next read', async () => {
    const cache = new ReadCache(new ManualClock());
    let calls = 0;
    const compute = async () => {
      calls += 1;
      if (calls === 1) throw new Error('database unavailable');
      return 'ok';
    };
    const results = await Promise.allSettled([cache.read('/a', compute), cache.read('/a', compute)]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(json(await cache.read('/a', compute))).toBe('ok');
    expect(calls).toBe(2);
  });

  it('drops the least recently used entry beyond its byte budget', async () => {
    // Each entry: a one-byte body, a two-character key and the per-entry overhead.
    const cache = new ReadCache(new ManualClock(), { maxBytes: 2 * entryBytes('/a', Buffer.from('1')) });
    let calls = 0;
    const compute = async () => ++calls;
    await cache.read('/a', compute);
    await cache.read('/b', compute);
    await cache.read('/a', compute); // /a is now the most recently used
    await cache.read('/c', compute);
    expect(json(await cache.read('/a', compute))).toBe(1);
    expect(json(await cache.read('/b', compute))).toBe(4);
  });
});

describe('ReadCache.writingArticle: votes written into cached answers', () => {
  const presented = (votes: number) => ({ slug: 's', favorited: false, favoritesCount: votes, favoriteVote: null, author: { username: 'ann', following: false } });
  const answerWith = (votes: number, voteSeq: number, as?: PresentedAs) => {
    const article = presented(votes);
    return slottedAnswer({ article }, [article], [{ id: 'a1', author: 'u1', voteSeq }], as);
  };
  const voteOn = (votes: number, voteSeq: number) => () => ({
    tag: 'article:a1',
    change: { id: 'a1', author: 'u1', voteSeq, present: () => presented(votes) },
    invalidate: ['ranked'],
    heldBytes: 1024,
  });
  const cachedVotes = (cache: ReadCache, key: string) => (json(cache.cached(key)!.body) as { article: { favoritesCount: number } }).article.favoritesCount;

  it('patches the answers showing the article, keeping their expiry; drops those it cannot patch and the lists it names', async () => {
    const clock = new ManualClock();
    const cache = new ReadCache(clock, { ttlMs: 1000 });
    await cache.readShared('one', async () => ({ answer: answerWith(0, 0, 'one'), tags: ['article:a1'] }));
    await cache.readShared('feed', async () => ({ answer: answerWith(0, 0), tags: ['article:a1'] }));
    await cache.readAnswer('page', async () => ({ body: Buffer.from('<p>s</p>'), type: 'text/html', tags: ['article:a1'] }));
    await cache.readShared('ranked', async () => ({ answer: answerWith(0, 0, 'list'), tags: ['ranked', 'article:a1'] }));
    await cache.readShared('other', async () => ({ answer: answerWith(0, 0, 'one'), tags: ['article:a2'] }));
    clock.advance(600);

    expect(await cache.writingArticle(async () => 'cast', voteOn(1, 1))).toBe('cast');

    expect(cachedVotes(cache, 'one')).toBe(1);
    expect(['feed', 'page', 'ranked'].map((key) => cache.cached(key))).toEqual([undefined, undefined, undefined]);
    expect(cache.cached('other')).toBeDefined();
    // A later read shares the patched answer, signed-in readers included.
    expect(cache.cachedShared('one')!.articles[0]!.voteSeq).toBe(1);
    clock.advance(399);
    expect(cachedVotes(cache, 'one')).toBe(1);
    clock.advance(1);
    expect(cache.cached('one')).toBeUndefined();
  });

  it('presents the article once however many answers it patches, and patches a bounded number, dropping the rest', async () => {
    const cache = new ReadCache(new ManualClock());
    const keys = Array.from({ length: MAX_PATCHED_PER_VOTE + 4 }, (_, i) => `list-${i}`);
    for (const key of keys) await cache.readShared(key, async () => ({ answer: answerWith(0, 0, 'list'), tags: ['article:a1'] }));
    await cache.readShared('one', async () => ({ answer: answerWith(0, 0, 'one'), tags: ['article:a1'] }));
    const presentedAs: string[] = [];
    await cache.writingArticle(async () => 'cast', () => ({
      tag: 'article:a1',
      change: { id: 'a1', author: 'u1', voteSeq: 1, present: (as: PresentedAs) => (presentedAs.push(as), presented(1)) },
      invalidate: [],
      heldBytes: 1024,
    }));
    // The first answers kept are patched, all from one presentation; the rest, 'one' among them, are dropped.
    expect(presentedAs).toEqual(['list']);
    expect([...keys, 'one'].filter((key) => cache.cached(key) !== undefined)).toEqual(keys.slice(0, MAX_PATCHED_PER_VOTE));
    for (const key of keys.slice(0, MAX_PATCHED_PER_VOTE)) expect(cachedVotes(cache, key)).toBe(1);
  });

  it('drops the answers instead when anything else changed the article while the vote was cast', async () => {
    const cache = new ReadCache(new ManualClock());
    await cache.writingArticle(async () => {
      // A comment lands meanwhile, and a reader reads the article after it: the vote's view of the article may predate the comment.
      cache.invalidateTagged(['article:a1']);
      await cache.readShared('one', async () => ({ answer: answerWith(0, 0, 'one'), tags: ['article:a1'] }));
      expect(cache.cached('one')).toBeDefined();
      return 'cast';
    }, voteOn(1, 1));
    expect(cache.cached('one')).toBeUndefined();
    // Votes cast afterwards patch again.
    await cache.readShared('one', async () => ({ answer: answerWith(1, 1, 'one'), tags: ['article:a1'] }));
    await cache.writingArticle(async () => 'cast', voteOn(2, 2));
    expect(cachedVotes(cache, 'one')).toBe(2);
  });

  it('writes a vote into an answer computed across it before keeping it, keeps none it cannot patch, and changes nothing when the vote fails', async () => {
    const cache = new ReadCache(new ManualClock());
    type Answer = ReturnType<typeof answerWith>;
    const computing = (key: string) => {
      let finish: (answer: Answer) => void = () => undefined;
      const read = cache.readShared(key, () => new Promise((resolve) => (finish = (answer) => resolve({ answer, tags: ['article:a1'] }))));
      return { read, finish: (answer: Answer) => finish(answer) };
    };
    const one = computing('one');
    const feed = computing('feed');
    const current = computing('current');
    await cache.writingArticle(async () => 'cast', voteOn(1, 1));
    // Read before the vote landed, after it, and a feed (not presented for patching).
    one.finish(answerWith(0, 0, 'one'));
    current.finish(answerWith(1, 1, 'one'));
    feed.finish(answerWith(0, 0));
    // Readers waiting on the computation get the vote too.
    expect((json((await one.read).body) as { article: { favoritesCount: number } }).article.favoritesCount).toBe(1);
    await Promise.all([feed.read, current.read]);
    expect(cachedVotes(cache, 'one')).toBe(1);
    expect(cache.cachedShared('one')!.articles[0]!.voteSeq).toBe(1);
    expect(cachedVotes(cache, 'current')).toBe(1);
    expect(cache.cached('feed')).toBeUndefined();

    await expect(cache.writingArticle(async () => Promise.reject(new Error('refused')), voteOn(9, 9))).rejects.toThrow('refused');
    expect(cachedVotes(cache, 'one')).toBe(1);
  });

  it('past the votes it remembers for computations, a vote makes those showing its article go unkept', async () => {
    const cache = new ReadCache(new ManualClock());
    let finish: (answer: ReturnType<typeof answerWith>) => void = () => undefined;
    const across = cache.readShared('one', () => new Promise((resolve) => (finish = (answer) => resolve({ answer, tags: ['article:a1'] }))));
    const onOther = { tag: 'article:a2', change: { id: 'a2', author: 'u2', voteSeq: 1, present: () => presented(1) }, invalidate: [], heldBytes: 1024 };
    for (let i = 0; i < MAX_VOTES_WHILE_COMPUTING; i += 1) await cache.writingArticle(async () => 'cast', () => onOther);
    await cache.writingArticle(async () => 'cast', voteOn(1, 1));
    finish(answerWith(0, 0, 'one'));
    await across;
    expect(cache.cached('one')).toBeUndefined();
  });

  it('remembers votes for computations within a quarter of the byte budget: a larger one makes them go unkept', async () => {
    const cache = new ReadCache(new ManualClock(), { maxBytes: 64 * 1024 });
    let finish: (answer: ReturnType<typeof answerWith>) => void = () => undefined;
    const across = cache.readShared('one', () => new Promise((resolve) => (finish = (answer) => resolve({ answer, tags: ['article:a1'] }))));
    await cache.writingArticle(async () => 'cast', () => ({ ...voteOn(1, 1)(), heldBytes: 16 * 1024 + 1 }));
    finish(answerWith(0, 0, 'one'));
    await across;
    expect(cache.cached('one')).toBeUndefined();
  });

  it('does not keep an answer computed across more votes on its articles than it may take', async () => {
    const cache = new ReadCache(new ManualClock());
    let finish: (answer: ReturnType<typeof answerWith>) => void = () => undefined;
    const across = cache.readShared('one', () => new Promise((resolve) => (finish = (answer) => resolve({ answer, tags: ['article:a1'] }))));
    for (let seq = 1; seq <= MAX_VOTES_INTO_COMPUTED + 1; seq += 1) await cache.writingArticle(async () => 'cast', voteOn(seq, seq));
    finish(answerWith(0, 0, 'one'));
    await across;
    expect(cache.cached('one')).toBeUndefined();
  });
});

describe('cached reads in the HTTP pipeline', () => {
  function appCountingReads() {
    const cache = new ReadCache(new ManualClock());
    cache.addKeyFunction((path, query) => (path === '/things' ? `things:${String(query.page ?? '1')}` : undefined));
    const router = new Router();
    let computed = 0;
    let routed = 0;
    router.get('/things', async (ctx) => {
      routed += 1;
      ctx.type = 'application/json';
      ctx.body = ctx.get('Authorization') ? { viewer: true } : await cache.read(`things:${String(ctx.query.page ?? '1')}`, async () => ({ computed: ++computed }));
    });
    const app = createApp({ logger: createLogger('silent'), routers: [router], readCache: cache });
    return { agent: request(app.callback()), cache, counts: () => ({ computed, routed }) };
  }

  it('answers a repeated anonymous read from the cache before routing, with the JSON type and a request id', async () => {
    const { agent, counts } = appCountingReads();
    await agent.get('/things?page=1').expect(200, { computed: 1 });
    const again = await agent.get('/things?page=1').expect(200, { computed: 1 });
    expect(again.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(again.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await agent.get('/things?page=2').expect(200, { computed: 2 });
    expect(counts()).toEqual({ computed: 2, routed: 2 });
    // The route's key, not the URL: parameters it ignores, and its default made explicit, share the entry.
    await agent.get('/things?junk=1&page=1').expect(200, { computed: 1 });
    await agent.get('/things').expect(200, { computed: 1 });
    expect(counts()).toEqual({ computed: 2, routed: 2 });
  });

  it('sends requests with an Authorization header, and writes, through the routes', async () => {
    const { agent, cache, counts } = appCountingReads();
    await agent.get('/things').expect(200, { computed: 1 });
    await agent.get('/things').set('Authorization', 'Token x').expect(200, { viewer: true });
    expect(counts().routed).toBe(2);
    await agent.post('/things').expect(405);
    cache.invalidate();
    await agent.get('/things').expect(200, { computed: 2 });
  });
});
