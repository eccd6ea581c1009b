import { articleKey, articleListKey, feedKey } from '../../routes/articles/readKeys';
import { UserModel } from '../../models/user';
import { listQuerySchema } from '../../routes/articles/schema';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api.close();
});

async function publish(token: string, title: string): Promise<string> {
  const { body } = await api.http().post('/api/articles').set(auth(token)).send({ article: { title, description: 'd', body: `${title} body`, tagList: ['shared'] } }).expect(201);
  return body.article.slug as string;
}

type Listed = { slug: string; favorited: boolean; favoriteVote: unknown; favoritesCount: number; author: { username: string; following: boolean } };
const bySlug = (articles: Listed[]) => new Map(articles.map((article) => [article.slug, article]));

describe('signed-in reads from the shared answers', () => {
  it("give each reader their own favorites and follows over what everyone sees, and mutes a list of its own", async () => {
    const ann = await registerUser(api);
    const zed = await registerUser(api);
    const bob = await registerUser(api);
    const carol = await registerUser(api);
    const first = await publish(ann.token, 'Shared one');
    const second = await publish(zed.token, 'Shared two');
    await api.http().post(`/api/articles/${first}/favorite`).set(auth(bob.token)).expect(200);
    await api.http().post(`/api/profiles/${zed.username}/follow`).set(auth(bob.token)).expect(200);

    const list = (token?: string) => {
      const request = api.http().get('/api/articles?tag=shared');
      return (token ? request.set(auth(token)) : request).expect(200);
    };
    const anonymous = bySlug((await list()).body.articles);
    const asBob = bySlug((await list(bob.token)).body.articles);
    const asCarol = bySlug((await list(carol.token)).body.articles);

    expect(anonymous.get(first)).toMatchObject({ favorited: false, favoriteVote: null, favoritesCount: 1, author: { following: false } });
    expect(asBob.get(first)).toMatchObject({ favorited: true, favoriteVote: { status: 'counted' }, favoritesCount: 1, author: { username: ann.username, following: false } });
    expect(asBob.get(second)).toMatchObject({ favorited: false, favoriteVote: null, author: { username: zed.username, following: true } });
    expect(asCarol.get(first)).toMatchObject({ favorited: false, favoriteVote: null, author: { following: false } });
    // Apart from the reader's own values, every reader gets the same answer.
    const strip = (article: Listed) => ({ ...article, favorited: null, favoriteVote: null, author: { ...article.author, following: null } });
    expect([...asBob.values()].map(strip)).toEqual([...anonymous.values()].map(strip));

    const one = await api.http().get(`/api/articles/${first}`).set(auth(bob.token)).expect(200);
    expect(one.body.article).toMatchObject({ slug: first, favorited: true, favoriteVote: { status: 'counted' }, body: 'Shared one body' });

    await api.http().post(`/api/profiles/${zed.username}/mute`).set(auth(carol.token)).expect(200);
    const muted = (await list(carol.token)).body;
    expect(muted.articles.map((article: Listed) => article.slug)).toEqual([first]);
    expect(muted.articlesCount).toBe(1);
  });

  it('after a vote, write it into the answers holding that article, byte for byte what reading anew gives, and forget the lists it may enter', async () => {
    const author = await registerUser(api);
    const reader = await registerUser(api);
    const voted = await publish(author.token, 'Voted on');
    const untouched = await publish(author.token, 'Left alone');
    const cache = api.services.readCache;
    const newest = articleListKey(listQuerySchema.parse({ author: author.username }));
    const ranked = articleListKey(listQuerySchema.parse({ sort: 'trending' }));
    for (const path of [`/api/articles/${voted}`, `/api/articles/${untouched}`, `/api/articles?author=${author.username}`, '/api/articles?sort=trending', `/api/articles?favorited=${reader.username}`]) {
      await api.http().get(path).expect(200);
    }
    const favoritedList = articleListKey(listQuerySchema.parse({ favorited: reader.username }));
    expect([articleKey(voted), articleKey(untouched), newest, ranked, favoritedList].map((key) => cache.cached(key) !== undefined)).toEqual([true, true, true, true, true]);
    const untouchedBefore = cache.cached(articleKey(untouched))!.body;

    await api.http().post(`/api/articles/${voted}/favorite`).set(auth(reader.token)).expect(200);

    expect(cache.cached(articleKey(untouched))!.body).toBe(untouchedBefore);
    // Patched in place: still cached, showing the vote.
    const patchedOne = cache.cached(articleKey(voted))!.body.toString('utf8');
    const patchedList = cache.cached(newest)!.body.toString('utf8');
    expect(JSON.parse(patchedOne).article.favoritesCount).toBe(1);
    expect(JSON.parse(patchedList).articles.find((article: Listed) => article.slug === voted).favoritesCount).toBe(1);
    // Lists the vote may reorder or change the members of are read anew.
    expect(cache.cached(ranked)).toBeUndefined();
    expect(cache.cached(favoritedList)).toBeUndefined();
    expect((await api.http().get(`/api/articles?favorited=${reader.username}`).expect(200)).body.articlesCount).toBe(1);
    // Exactly what reading them from the database gives, for anonymous and signed-in readers alike.
    const signedInPatched = (await api.http().get(`/api/articles?author=${author.username}`).set(auth(reader.token)).expect(200)).text;
    cache.invalidate();
    expect((await api.http().get(`/api/articles/${voted}`).expect(200)).text).toBe(patchedOne);
    expect((await api.http().get(`/api/articles?author=${author.username}`).expect(200)).text).toBe(patchedList);
    expect((await api.http().get(`/api/articles?author=${author.username}`).set(auth(reader.token)).expect(200)).text).toBe(signedInPatched);

    // A comment forgets its article's answers, and only those.
    await api.http().get(`/api/articles/${untouched}`).expect(200);
    await api.http().post(`/api/articles/${voted}/comments`).set(auth(reader.token)).send({ comment: { body: 'Nice' } }).expect(200);
    expect(cache.cached(articleKey(untouched))).toBeDefined();
    expect((await api.http().get(`/api/articles/${voted}`).expect(200)).body.article.commentsCount).toBe(1);

    // A vote on that comment changes only what shows the article's comments (its page, test/site): the
    // article's own answers and the lists it is on are kept.
    const { body: thread } = await api.http().get(`/api/articles/${voted}/comments`).expect(200);
    api.clock.advance(4000);
    await api.http().get(`/api/articles/${voted}`).expect(200);
    await api.http().get(`/api/articles?author=${author.username}`).expect(200);
    await api.http().post(`/api/articles/${voted}/comments/${thread.comments[0].id}/votes`).set(auth(author.token)).send({ vote: { weight: 10000 } }).expect(200);
    expect(cache.cached(articleKey(voted))).toBeDefined();
    expect(cache.cached(newest)).toBeDefined();
  });

  it("keep a reader's feed and show every write that changes it on the next read", async () => {
    const author = await registerUser(api);
    const other = await registerUser(api);
    const friend = await registerUser(api);
    const reader = await registerUser(api);
    await api.http().post(`/api/profiles/${author.username}/follow`).set(auth(reader.token)).expect(200);
    await api.http().post(`/api/profiles/${friend.username}/follow`).set(auth(reader.token)).expect(200);
    const first = await publish(author.token, 'Feed one');
    const feed = async () => (await api.http().get('/api/articles/feed').set(auth(reader.token)).expect(200)).body as { articles: (Listed & { rebloggedBy?: string })[]; articlesCount: number };
    const slugs = async () => (await feed()).articles.map((article) => article.slug);

    expect(await slugs()).toEqual([first]);
    const readerId = (await UserModel.findOne({ username: reader.username }, { _id: 1 }).lean())!._id;
    expect(api.services.readCache.cached(feedKey(readerId, { offset: 0, limit: 20 }))).toBeDefined(); // kept for the reader's next read
    // A new article by a followed author.
    const second = await publish(author.token, 'Feed two');
    expect(await slugs()).toEqual([second, first]);
    // The reader's own favorite, and someone else's.
    await api.http().post(`/api/articles/${first}/favorite`).set(auth(reader.token)).expect(200);
    await api.http().post(`/api/articles/${first}/favorite`).set(auth(friend.token)).expect(200);
    expect((await feed()).articles[1]).toMatchObject({ slug: first, favorited: true, favoritesCount: 2, author: { following: true } });
    // A reblog by a followed user of an article by someone the reader does not follow.
    const elsewhere = await publish(other.token, 'Feed elsewhere');
    expect(await slugs()).toEqual([second, first]);
    await api.http().post(`/api/articles/${elsewhere}/reblog`).set(auth(friend.token)).expect(200);
    const withReblog = await feed();
    expect(withReblog.articles[0]).toMatchObject({ slug: elsewhere, rebloggedBy: friend.username, author: { following: false } });
    // Following, muting and unfollowing by the reader.
    await api.http().post(`/api/profiles/${other.username}/follow`).set(auth(reader.token)).expect(200);
    expect((await feed()).articles[0]).toMatchObject({ slug: elsewhere, author: { following: true } });
    await api.http().post(`/api/profiles/${other.username}/mute`).set(auth(reader.token)).expect(200);
    expect(await slugs()).toEqual([second, first]);
    await api.http().delete(`/api/profiles/${author.username}/follow`).set(auth(reader.token)).expect(200);
    expect(await slugs()).toEqual([]);
  });
});
