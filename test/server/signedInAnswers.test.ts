import request from 'supertest';
import { createApp } from '../../server/app';
import { allRouters } from '../../server/routers';
import { createLogger } from '../../lib/logger';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';
import { countKoaContexts } from '../support/koaContexts';
import { FollowModel } from '../../models/follow';
import { UserModel } from '../../models/user';
import { READ_CACHE_DEFAULTS } from '../../server/readCache';

/** Headers that differ between any two answers (a fresh request id, the time, the connection's state). */
const PER_ANSWER = new Set(['x-request-id', 'date', 'connection', 'keep-alive']);
const comparable = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_ANSWER.has(name)));

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api.close();
});

/**
 * Two apps over the same services and read cache: one answers signed-in cached reads before Koa (as
 * `npm start` does), the other only through Koa; each counts the requests Koa handled.
 */
function apps() {
  const { services } = api;
  const build = (withTokens: boolean) => {
    const app = createApp({
      logger: createLogger('silent'),
      routers: allRouters(services),
      readCache: services.readCache,
      cors: { origins: ['https://front.example'], maxAgeSeconds: 600 },
      ...(withTokens ? { tokens: services.tokens } : {}),
    });
    return { agent: request(app.callback()), handledByKoa: countKoaContexts(app) };
  };
  return { early: build(true), koa: build(false) };
}

async function publish(token: string, title: string): Promise<string> {
  const { body } = await api.http().post('/api/articles').set(auth(token)).send({ article: { title, description: 'd', body: `${title} body`, tagList: ['early'] } }).expect(201);
  return body.article.slug as string;
}

describe('signed-in cached reads answered before Koa', () => {
  it('give the reader the answer and headers Koa gives, with their own favorites and follows, without Koa', async () => {
    const author = await registerUser(api);
    const reader = await registerUser(api);
    const slug = await publish(author.token, 'Early bird');
    await publish(author.token, 'Early worm');
    await api.http().post(`/api/articles/${slug}/favorite`).set(auth(reader.token)).expect(200);
    await api.http().post(`/api/profiles/${author.username}/follow`).set(auth(reader.token)).expect(200);
    const { early, koa } = apps();

    for (const path of ['/api/articles?tag=early', `/api/articles/${slug}`]) {
      await early.agent.get(path).expect(200); // anonymous: fills the shared answer
      const before = early.handledByKoa();
      const fast = await early.agent.get(path).set(auth(reader.token)).set('Origin', 'https://front.example').expect(200);
      expect(early.handledByKoa()).toBe(before);
      const slow = await koa.agent.get(path).set(auth(reader.token)).set('Origin', 'https://front.example').expect(200);
      expect(fast.body).toEqual(slow.body);
      expect(comparable(fast.headers)).toEqual(comparable(slow.headers));
      expect(fast.headers['cache-control']).toBe('no-store');
      expect(fast.headers['access-control-allow-origin']).toBe('https://front.example');
    }
    // The reader's feed is kept for them alone: their first read goes through Koa, the next does not.
    await early.agent.get('/api/articles/feed').set(auth(reader.token)).expect(200);
    const before = early.handledByKoa();
    const fastFeed = await early.agent.get('/api/articles/feed?limit=20&junk=1').set(auth(reader.token)).expect(200);
    expect(early.handledByKoa()).toBe(before);
    const slowFeed = await koa.agent.get('/api/articles/feed').set(auth(reader.token)).expect(200);
    expect(fastFeed.body).toEqual(slowFeed.body);
    expect(comparable(fastFeed.headers)).toEqual(comparable(slowFeed.headers));
    expect(fastFeed.body.articles.map((article: { slug: string }) => article.slug)).toContain(slug);
    // Nobody else is answered from it.
    const stranger = await registerUser(api);
    expect((await early.agent.get('/api/articles/feed').set(auth(stranger.token)).expect(200)).body).toEqual({ articles: [], articlesCount: 0 });

    const { body } = await early.agent.get('/api/articles?tag=early').set(auth(reader.token)).expect(200);
    const mine = body.articles.find((article: { slug: string }) => article.slug === slug);
    expect(mine).toMatchObject({ favorited: true, favoriteVote: { status: 'counted' }, author: { following: true } });
    expect(body.articles.find((article: { slug: string }) => article.slug !== slug)).toMatchObject({ favorited: false, author: { following: true } });
  });

  it('leave bad tokens, ended sessions and readers who mute someone to Koa', async () => {
    const author = await registerUser(api);
    const reader = await registerUser(api);
    await publish(author.token, 'Muted maybe');
    const { early } = apps();
    const list = '/api/articles?tag=early';
    await early.agent.get(list).expect(200);

    let before = early.handledByKoa();
    const bad = await early.agent.get(list).set(auth('not-a-token')).expect(401);
    expect(bad.body.errors.body).toEqual(['token is missing, malformed or expired']);
    expect(early.handledByKoa()).toBe(before + 1);

    await early.agent.get(list).set(auth(reader.token)).expect(200); // remembered: not muting anyone
    await api.http().post(`/api/profiles/${author.username}/mute`).set(auth(reader.token)).expect(200);
    before = early.handledByKoa();
    const muted = await early.agent.get(list).set(auth(reader.token)).expect(200);
    expect(early.handledByKoa()).toBe(before + 1);
    expect(muted.body.articles.map((article: { author: { username: string } }) => article.author.username)).not.toContain(author.username);

    const leaver = await registerUser(api);
    await early.agent.get(list).set(auth(leaver.token)).expect(200);
    await api.http().post('/api/user/logout').set(auth(leaver.token)).expect(204);
    before = early.handledByKoa();
    await early.agent.get(list).set(auth(leaver.token)).expect(401);
    expect(early.handledByKoa()).toBe(before + 1);
  });

  it("remember what they look up about a reader while answers are kept: the reader's own writes show at once, writes around this process within the time", async () => {
    const author = await registerUser(api);
    const other = await registerUser(api);
    const reader = await registerUser(api);
    await publish(author.token, 'Remembered one');
    await publish(other.token, 'Remembered two');
    const { early } = apps();
    const list = '/api/articles?tag=early';
    const followingOf = (body: { articles: { author: { username: string; following: boolean } }[] }, username: string) =>
      body.articles.find((article) => article.author.username === username)!.author.following;
    await early.agent.get(list).expect(200);
    expect(followingOf((await early.agent.get(list).set(auth(reader.token)).expect(200)).body, author.username)).toBe(false);

    // Their own follow through the API: the next read shows it, still answered before Koa.
    await api.http().post(`/api/profiles/${author.username}/follow`).set(auth(reader.token)).expect(200);
    const before = early.handledByKoa();
    expect(followingOf((await early.agent.get(list).set(auth(reader.token)).expect(200)).body, author.username)).toBe(true);
    expect(early.handledByKoa()).toBe(before);

    // Their own favorite: it drops the shared lists; once they are computed again, the reader's marks are read anew too.
    const { body: listed } = await early.agent.get(list).set(auth(reader.token)).expect(200);
    const target = listed.articles.find((article: { author: { username: string } }) => article.author.username === author.username).slug as string;
    await api.http().post(`/api/articles/${target}/favorite`).set(auth(reader.token)).expect(200);
    await early.agent.get(list).expect(200);
    const afterFavorite = early.handledByKoa();
    const { body: favorited } = await early.agent.get(list).set(auth(reader.token)).expect(200);
    expect(early.handledByKoa()).toBe(afterFavorite);
    expect(favorited.articles.find((article: { slug: string }) => article.slug === target)).toMatchObject({ favorited: true });

    // A follow written around this process (as another API process would): shown once what was read expires.
    const ids = await UserModel.find({ username: { $in: [reader.username, other.username] } }, { _id: 1, username: 1 }).lean();
    const idOf = (username: string) => ids.find((user) => user.username === username)!._id;
    await FollowModel.create({ follower: idOf(reader.username), followee: idOf(other.username) });
    expect(followingOf((await early.agent.get(list).set(auth(reader.token)).expect(200)).body, other.username)).toBe(false);
    api.clock.advance(READ_CACHE_DEFAULTS.ttlMs);
    expect(followingOf((await early.agent.get(list).set(auth(reader.token)).expect(200)).body, other.username)).toBe(true);
  });
});
