import mongoose, { Types } from 'mongoose';
import { ArticleModel } from '../../models/article';
import { CommentModel } from '../../models/comment';
import { FollowModel } from '../../models/follow';
import { ReblogModel } from '../../models/reblog';
import { UserModel } from '../../models/user';
import { VoteModel } from '../../models/vote';
import { recountArticles } from '../../commands/articles/articleCounts';
import { CURRENT_RENDERER_VERSION } from '../../commands/articles/rendering';
import { MAX_FOLLOWING } from '../../commands/profiles/follows';
import { scanStages } from '../support/explain';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

/**
 * Finding: list endpoints read without bound: `?favorited=` loaded every vote of the user, the feed
 * loaded `offset + limit` articles (offset up to 1,000,000) and every reblog of the followed users,
 * an article's comments and votes came all at once, notifications loaded `offset + limit` ids.
 */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

interface Recorded {
  collection: string;
  method: string;
  filter: Record<string, unknown>;
  options: Record<string, unknown>;
}

/** The queries mongoose sends while `run` runs (collection, method, filter, options with limit/skip/projection). */
async function queriesDuring(run: () => Promise<unknown>): Promise<Recorded[]> {
  const recorded: Recorded[] = [];
  mongoose.set('debug', (collection: string, method: string, ...args: unknown[]) => {
    // find(filter, options) and countDocuments(filter, options): the options carry sort, skip, limit and projection.
    const [filter, options] = args as Record<string, unknown>[];
    recorded.push({ collection, method, filter: filter ?? {}, options: options ?? {} });
  });
  try {
    await run();
  } finally {
    mongoose.set('debug', false);
  }
  return recorded;
}

const idsIn = (filter: Record<string, unknown>) => ((filter._id as { $in?: unknown[] } | undefined)?.$in ?? []).length;

async function seedArticles(author: Types.ObjectId, count: number, title: string): Promise<Types.ObjectId[]> {
  const base = Date.now() - count * 1000;
  const docs = Array.from({ length: count }, (_, i) => ({
    _id: new Types.ObjectId(),
    slug: `${title}-${i}-${author.toHexString().slice(-6)}`,
    title: `${title} ${i}`,
    author,
    body: 'b',
    bodyHtml: '<p>b</p>',
    rendererVersion: CURRENT_RENDERER_VERSION,
    payoutAt: new Date(Date.now() + 86_400_000),
    createdAt: new Date(base + i * 1000),
    updatedAt: new Date(base + i * 1000),
  }));
  await ArticleModel.insertMany(docs, { timestamps: false } as never);
  await recountArticles(); // written around the API, as a bulk load: counted as an operator would
  return docs.map((doc) => doc._id);
}

const userId = async (username: string) => (await UserModel.findOne({ username }, { _id: 1 }).lean())!._id;

describe('?favorited= of a user with 300 upvotes', () => {
  it('reads one page of votes and only that page\'s articles, newest favorite first', async () => {
    const author = await registerUser(api);
    const fan = await registerUser(api);
    const articles = await seedArticles(await userId(author.username), 300, 'fav');
    const voter = await userId(fan.username);
    const start = Date.now() - 300_000;
    await VoteModel.collection.insertMany(
      articles.map((article, i) => ({ article, voter, weight: 10000, changes: 0, rshares: '0', curationWeight: '0', favorite: true, favoriteRefusal: null, lastOp: null, createdAt: new Date(start + i * 1000), updatedAt: new Date(start + i * 1000) })),
    );

    let page: { body: { articles: { slug: string }[]; articlesCount: number } } | undefined;
    const queries = await queriesDuring(async () => {
      page = await api.http().get(`/api/articles?favorited=${fan.username}&limit=5&offset=5`).set(auth(fan.token)).expect(200);
    });
    expect(page!.body.articlesCount).toBe(300);
    expect(page!.body.articles.map((a) => a.slug)).toEqual([294, 293, 292, 291, 290].map((i) => expect.stringMatching(new RegExp(`^fav-${i}-`))));

    const voteFinds = queries.filter((q) => q.collection === 'votes' && q.method === 'find');
    expect(voteFinds.length).toBeGreaterThan(0);
    for (const q of voteFinds) {
      // Either the page of the fan's votes (limit 5), or the viewer's own votes on the page's articles.
      expect(q.options.limit === 5 || (idsIn({ _id: q.filter.article }) > 0 && idsIn({ _id: q.filter.article }) <= 5)).toBe(true);
    }
    for (const q of queries.filter((q) => q.collection === 'articles' && q.method === 'find')) {
      expect(idsIn(q.filter)).toBeGreaterThan(0);
      expect(idsIn(q.filter)).toBeLessThanOrEqual(5);
    }

    // The page of votes is an index scan in index order: no sort stage over the user's votes.
    const explained = (await VoteModel.find({ voter, favorite: true }).sort({ createdAt: -1 }).skip(5).limit(5).explain()) as { queryPlanner?: { winningPlan?: { stage?: string } } };
    expect(scanStages(explained).map((s) => s.indexName)).toContain('voter_1_favorite_1_createdAt_-1');
    expect(JSON.stringify(explained)).not.toContain('"SORT"');
  });
});

describe('the feed', () => {
  it('loads only the page\'s articles, and a bounded window of reblogs', async () => {
    const reader = await registerUser(api);
    const writer = await registerUser(api);
    const curator = await registerUser(api);
    const readerId = await userId(reader.username);
    const writerId = await userId(writer.username);
    const curatorId = await userId(curator.username);
    await seedArticles(writerId, 200, 'feedw');
    const others = await seedArticles(new Types.ObjectId(), 100, 'feedo');
    await FollowModel.create([{ follower: readerId, followee: writerId }, { follower: readerId, followee: curatorId }]);
    await ReblogModel.collection.insertMany(others.map((article, i) => ({ user: curatorId, article, createdAt: new Date(Date.now() - 1_000_000 + i * 10_000 + 500) })));

    let page: { body: { articles: { slug: string; rebloggedBy?: string }[]; articlesCount: number } } | undefined;
    const queries = await queriesDuring(async () => {
      page = await api.http().get('/api/articles/feed?limit=5&offset=10').set(auth(reader.token)).expect(200);
    });
    expect(page!.body.articles).toHaveLength(5);
    expect(page!.body.articlesCount).toBe(300);
    for (const q of queries.filter((q) => q.method === 'find' && (q.collection === 'articles' || q.collection === 'reblogs'))) {
      const projection = q.options.projection as Record<string, unknown> | undefined;
      const idsOnly = projection !== undefined && Object.keys(projection).every((field) => field === '_id' || field === 'createdAt');
      const bound = Math.min(Number(q.options.limit ?? Infinity), idsIn(q.filter) || Infinity);
      // Whole articles: only the page's 5; ids and times of articles, and reblogs: at most offset + limit = 15.
      expect(bound).toBeLessThanOrEqual(q.collection === 'articles' && !idsOnly ? 5 : 15);
    }
  });

  it('refuses an offset beyond 10,000 and a limit beyond 100 with a 422 naming the parameter', async () => {
    const reader = await registerUser(api);
    const deep = await api.http().get('/api/articles/feed?offset=1000000').set(auth(reader.token)).expect(422);
    expect(deep.body.fields.offset[0]).toContain('at most 10000');
    await api.http().get('/api/articles/feed?limit=101').set(auth(reader.token)).expect(422);
  });

  it(`refuses to follow more than ${MAX_FOLLOWING} users`, async () => {
    const reader = await registerUser(api);
    const target = await registerUser(api);
    const readerId = await userId(reader.username);
    await FollowModel.collection.insertMany(Array.from({ length: MAX_FOLLOWING }, () => ({ follower: readerId, followee: new Types.ObjectId(), createdAt: new Date() })));
    const refused = await api.http().post(`/api/profiles/${target.username}/follow`).set(auth(reader.token)).expect(422);
    expect(refused.body.fields.profile[0]).toContain(`at most ${MAX_FOLLOWING}`);
  });
});

describe('comments of an article', () => {
  it('answers at most 100 by default and pages with limit and offset (at most 500)', async () => {
    const author = await registerUser(api);
    const { body } = await api.http().post('/api/articles').set(auth(author.token)).send({ article: { title: 'Many comments', description: 'd', body: 'b', tagList: [] } }).expect(201);
    const article = (await ArticleModel.findOne({ slug: body.article.slug }, { _id: 1 }).lean())!._id;
    const authorId = await userId(author.username);
    const start = Date.now() - 1_000_000;
    await CommentModel.collection.insertMany(
      Array.from({ length: 150 }, (_, i) => ({ id: 1_000_000 + i, article, author: authorId, body: `c${i}`, bodyHtml: `<p>c${i}</p>`, parentId: null, depth: 0, createdAt: new Date(start + i * 1000), updatedAt: new Date(start + i * 1000) })),
    );
    const all = await api.http().get(`/api/articles/${body.article.slug}/comments`).expect(200);
    expect(all.body.comments).toHaveLength(100);
    expect(all.body.comments[0].body).toBe('c0');
    const last = await api.http().get(`/api/articles/${body.article.slug}/comments?limit=20&offset=140`).expect(200);
    expect(last.body.comments.map((c: { body: string }) => c.body)).toEqual(Array.from({ length: 10 }, (_, i) => `c${140 + i}`));
    const tooMany = await api.http().get(`/api/articles/${body.article.slug}/comments?limit=501`).expect(422);
    expect(tooMany.body.fields.limit[0]).toContain('at most 500');
  });
});

describe('every list refuses a limit or offset beyond its bounds', () => {
  it.each([
    ['/api/articles?limit=101', 'limit'],
    ['/api/articles?offset=10001', 'offset'],
    ['/api/user/bookmarks?offset=10001', 'offset'],
    ['/api/notifications?limit=101', 'limit'],
    ['/api/notifications?offset=10001', 'offset'],
    ['/api/drafts?limit=101', 'limit'],
    ['/api/articles/SLUG/votes?limit=1001', 'limit'],
    ['/api/articles/SLUG/comments?offset=10001', 'offset'],
    ['/api/profiles/NAME/payouts?offset=10001', 'offset'],
  ])('%s → 422', async (path, parameter) => {
    const user = await registerUser(api);
    const { body } = await api.http().post('/api/articles').set(auth(user.token)).send({ article: { title: `Bounds ${parameter}`, description: 'd', body: 'b', tagList: [] } }).expect(201);
    const response = await api.http().get(path.replace('SLUG', body.article.slug).replace('NAME', user.username)).set(auth(user.token)).expect(422);
    expect(response.body.fields[parameter]).toBeDefined();
  });

  it("pages an article's votes and counts them all", async () => {
    const author = await registerUser(api);
    const { body } = await api.http().post('/api/articles').set(auth(author.token)).send({ article: { title: 'Counted votes', description: 'd', body: 'b', tagList: [] } }).expect(201);
    const article = (await ArticleModel.findOne({ slug: body.article.slug }, { _id: 1 }).lean())!._id;
    await VoteModel.collection.insertMany(Array.from({ length: 120 }, (_, i) => ({ article, voter: new Types.ObjectId(), weight: 100, createdAt: new Date(Date.now() - 200_000 + i * 1000) })));
    const first = await api.http().get(`/api/articles/${body.article.slug}/votes`).expect(200);
    expect(first.body.votes).toHaveLength(100);
    expect(first.body.votesCount).toBe(120);
    expect((await api.http().get(`/api/articles/${body.article.slug}/votes?offset=100`).expect(200)).body.votes).toHaveLength(20);
  });
});
