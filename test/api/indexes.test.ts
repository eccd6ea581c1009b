import mongoose, { Types } from 'mongoose';
import { feedArticles, listArticles } from '../../commands/articles/listArticles';
import { ArticleModel } from '../../models/article';
import { CommentModel } from '../../models/comment';
import { FollowModel } from '../../models/follow';
import { TagModel } from '../../models/tag';
import { UserModel } from '../../models/user';
import { NotificationModel } from '../../models/notification';
import { SettlementModel } from '../../models/settlement';
import { scanStages, scansWithKeys, sortsInMemory } from '../support/explain';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

/** Every hot-path query is answered from an index: asserted with the backend's query planner. */
let api: TestApi;
let authorName: string;
let fanName: string;
let fanId: Types.ObjectId;
let otherId: Types.ObjectId;
beforeAll(async () => {
  api = await startTestApi();
  const author = await registerUser(api);
  const fan = await registerUser(api);
  const other = await registerUser(api);
  const slugs: string[] = [];
  for (let i = 0; i < 30; i += 1) {
    const response = await api.http().post('/api/articles').set(auth(author.token)).send({ article: { title: `Indexed ${i}`, description: '', body: 'b', tagList: [`t${i % 3}`] } });
    slugs.push(response.body.article.slug);
  }
  const othersSlug = (await api.http().post('/api/articles').set(auth(other.token)).send({ article: { title: 'Reblogged', description: '', body: 'b', tagList: ['t1'] } })).body.article.slug;
  for (const slug of slugs.slice(0, 5)) await api.http().post(`/api/articles/${slug}/favorite`).set(auth(fan.token)).expect(200);
  await api.http().post(`/api/profiles/${author.username}/follow`).set(auth(fan.token)).expect(200);
  await api.http().post(`/api/profiles/${other.username}/follow`).set(auth(author.token)).expect(200);
  await api.http().post(`/api/articles/${othersSlug}/reblog`).set(auth(other.token));
  [authorName, fanName] = [author.username, fan.username];
  [fanId, otherId] = await Promise.all([fan.username, other.username].map(async (username) => (await UserModel.findOne({ username }, { _id: 1 }).lean())!._id));
}, 180_000);
afterAll(() => api.close());

const someId = new Types.ObjectId();

describe('other hot-path queries', () => {
it.each([
  ['article by slug', () => ArticleModel.findOne({ slug: 'indexed-1' }), 'slug_1'],
  ['article by old slug', () => ArticleModel.findOne({ previousSlugs: 'old' }), 'previousSlugs_1'],
  ['profile by name', () => UserModel.findOne({ usernameKey: 'someone' }), 'usernameKey_1'],
  ['follows of a reader', () => FollowModel.find({ follower: someId }), 'follower_1_followee_1'],
  ['comments of an article', () => CommentModel.find({ article: someId }).sort({ createdAt: 1 }).skip(100).limit(100), 'article_1_createdAt_1'],
  ['GET /api/tags', () => TagModel.find({ count: { $gt: 0 } }).sort({ count: -1, _id: 1 }).limit(1000), 'count_-1__id_1'],
  ['notifications', () => NotificationModel.find({ recipient: someId }).sort({ createdAt: -1, _id: -1 }).limit(20), 'recipient_1_createdAt_-1__id_-1'],
  ['payout leaderboards (settlements of a period)', () => SettlementModel.find({ status: 'committed', settledAt: { $gte: new Date(0), $lt: new Date() } }), 'settledAt_1'],
])('%s is an index scan', async (_name, query, indexName) => {
  const stages = scanStages(await query().explain());
  expect(stages.map((s) => s.stage)).not.toContain('COLLSCAN');
  expect(stages.map((s) => s.indexName)).toContain(indexName);
});
});

interface Recorded {
  collection: string;
  method: string;
  filter: Record<string, unknown>;
  options: Record<string, unknown>;
}

/** The queries mongoose sends while `run` runs: collection, method, filter, and options (sort, skip, limit, projection). */
async function queriesDuring(run: () => Promise<unknown>): Promise<Recorded[]> {
  const recorded: Recorded[] = [];
  mongoose.set('debug', (collection: string, method: string, ...args: unknown[]) => {
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

/** The recorded query explained as the server would run it (a count is planned as the find of its filter). */
async function explainRecorded({ collection, method, filter, options }: Recorded): Promise<unknown> {
  const native = mongoose.connection.db!.collection(collection);
  if (method === 'countDocuments') return native.find(filter).explain('queryPlanner');
  const { sort, skip, limit, projection } = options as { sort?: Record<string, 1 | -1>; skip?: number; limit?: number; projection?: Record<string, 0 | 1> };
  return native.find(filter, { sort, skip, limit: method === 'findOne' ? 1 : limit, projection }).explain('queryPlanner');
}

/** The top-level fields a filter constrains (those inside a top-level $and included; `$text` constrains the text index's `_fts`). */
function filteredFields(filter: Record<string, unknown>): Set<string> {
  const fields = new Set<string>();
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) for (const part of value) for (const field of filteredFields(part as Record<string, unknown>)) fields.add(field);
    else if (key === '$text') fields.add('_fts'); // a text index's leading key: the search terms narrow it
    else if (!key.startsWith('$')) fields.add(key);
  }
  return fields;
}

/**
 * A query is index-backed when the server reads no whole collection: every scan is on an index, and
 * that index either narrows the read by a field the filter constrains (its leading key) or is read in
 * the very order asked for, so the limit stops the read.
 */
function indexBackingProblem(query: Recorded, explained: unknown): string | undefined {
  const scans = scansWithKeys(explained);
  if (scans.length === 0) return 'no scan stage in the plan';
  const constrained = filteredFields(query.filter);
  for (const scan of scans) {
    if (scan.stage === 'COLLSCAN') return 'reads the whole collection (COLLSCAN)';
    if (scan.stage === 'IDHACK') continue;
    const leading = Object.keys(scan.keyPattern ?? {})[0];
    const narrows = leading !== undefined && constrained.has(leading);
    const inOrder = query.method !== 'countDocuments' && query.options.sort !== undefined && query.options.limit !== undefined && !sortsInMemory(explained);
    if (!narrows && !inOrder) return `scans ${scan.indexName} without narrowing it by the filter or reading it in the order asked`;
  }
  return undefined;
}

const listScenarios: [string, () => Promise<unknown>][] = [
  ['GET /api/articles', () => listArticles({ offset: 0, limit: 20 })],
  ['?tag=', () => listArticles({ tag: 't1', offset: 0, limit: 20 })],
  ['?author=', () => listArticles({ author: authorName, offset: 20, limit: 20 })],
  ['?favorited=', () => listArticles({ favorited: fanName, offset: 0, limit: 20 })],
  ['?q= (search)', () => listArticles({ q: 'indexed', offset: 0, limit: 20 })],
  ['?q= with ?tag=', () => listArticles({ q: 'indexed', tag: 't1', offset: 0, limit: 20 })],
  ['?favorited= with ?tag=', () => listArticles({ favorited: fanName, tag: 't1', offset: 0, limit: 20 })],
  ...(['trending', 'hot', 'payout'] as const).map((sort): [string, () => Promise<unknown>] => [`?sort=${sort}`, () => listArticles({ sort, now: new Date(), offset: 0, limit: 20 })]),
  ['?sort=trending&tag=', () => listArticles({ sort: 'trending', tag: 't1', offset: 0, limit: 20 })],
  ['muted authors left out', () => listArticles({ hiddenAuthors: [otherId], offset: 0, limit: 20 })],
  ['?author= with muted authors', () => listArticles({ author: authorName, hiddenAuthors: [otherId], offset: 0, limit: 20 })],
  ['feed (followed authors and their reblogs)', () => feedArticles(fanId, { offset: 0, limit: 20 })],
];

describe('the queries listArticles and feedArticles issue (captured from mongoose, explained by the backend)', () => {
  it.each(listScenarios)('%s: every query is index-backed', async (_name, run) => {
    const queries = await queriesDuring(run);
    expect(queries.filter((query) => query.collection === 'articles').length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const query of queries) {
      // The collection's own count comes from its metadata: no document or index is read.
      if (query.method === 'estimatedDocumentCount') continue;
      const problem = indexBackingProblem(query, await explainRecorded(query));
      if (problem) problems.push(`${query.collection}.${query.method}(${JSON.stringify(query.filter)}) ${problem}`);
    }
    expect(problems).toEqual([]);
  });

  it('reads the unfiltered list in the order of createdAt_-1__id_-1, with no in-memory sort', async () => {
    const [pageQuery] = (await queriesDuring(() => listArticles({ offset: 0, limit: 20 }))).filter((query) => query.method === 'find');
    const explained = await explainRecorded(pageQuery!);
    expect(scanStages(explained).map((scan) => scan.indexName)).toEqual(['createdAt_-1__id_-1']);
    expect(sortsInMemory(explained)).toBe(false);
  });

  it('counts the unfiltered and the muted-authors lists exactly, without reading the collection', async () => {
    expect((await listArticles({ offset: 0, limit: 1 })).articlesCount).toBe(await ArticleModel.countDocuments({}));
    const muted = await listArticles({ hiddenAuthors: [otherId], offset: 0, limit: 1 });
    expect(muted.articlesCount).toBe(await ArticleModel.countDocuments({ author: { $nin: [otherId] } }));
    expect(muted.articlesCount).toBe((await ArticleModel.countDocuments({})) - 1);
  });

  it.each(listScenarios.filter(([name]) => ['GET /api/articles', '?tag=', '?author=', 'feed (followed authors and their reblogs)'].includes(name)))(
    '%s: reads its page in index order, with no in-memory sort',
    async (_name, run) => {
      const pageQueries = (await queriesDuring(run)).filter((query) => query.collection === 'articles' && query.method === 'find');
      expect(pageQueries.length).toBeGreaterThan(0);
      for (const query of pageQueries) expect(sortsInMemory(await explainRecorded(query))).toBe(false);
    },
  );

  it.each(listScenarios.filter(([name]) => ['?tag=', '?author=', 'muted authors left out', '?author= with muted authors', 'feed (followed authors and their reblogs)'].includes(name)))(
    '%s: takes articlesCount from the stored counts, counting no articles',
    async (_name, run) => {
      const queries = await queriesDuring(run);
      expect(queries.filter((query) => query.collection === 'articles' && query.method === 'countDocuments')).toEqual([]);
      expect(queries.some((query) => ['tags', 'authorarticlecounts'].includes(query.collection))).toBe(true);
    },
  );

  it('finds a whole-collection count as the problem it is (the check can fail)', async () => {
    const count: Recorded = { collection: 'articles', method: 'countDocuments', filter: { author: { $nin: [otherId] } }, options: {} };
    expect(indexBackingProblem(count, await explainRecorded(count))).toBeDefined();
  });
});
