import { RevisionModel } from '../../models/revision';
import { ArticleModel } from '../../models/article';
import { scanStages } from '../support/explain';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

/**
 * GET /api/articles/:slug/revisions used to diff every revision against the previous one on every
 * (anonymous) read: after a 4,000-line body was rewritten, one read took 6-11 s on the event loop.
 * Diffs are now computed once, when saved, bounded by the diff library's limits.
 */
let api: TestApi;
let token: string;
beforeAll(async () => {
  api = await startTestApi();
  ({ token } = await registerUser(api));
});
afterAll(() => api.close());

const lines = (count: number, line: (i: number) => string) => Array.from({ length: count }, (_, i) => line(i)).join('\n');

async function publish(title: string, body: string): Promise<string> {
  const response = await api.http().post('/api/articles').set(auth(token)).send({ article: { title, description: 'd', body } }).expect(201);
  return response.body.article.slug as string;
}

describe('revision diffs', () => {
  it('stores a rewrite of a 4,000-line body as "too large to diff", so reading it computes nothing', async () => {
    const slug = await publish('Rewritten', lines(4000, (i) => String(i % 10)));
    const edit = await api.http().put(`/api/articles/${slug}`).set(auth(token)).send({ article: { body: lines(4000, (i) => String((i * 7 + 3) % 10)) } });
    expect(edit.status).toBe(200);
    const { body } = await api.http().get(`/api/articles/${slug}/revisions`).expect(200);
    expect(body.revisionsCount).toBe(2);
    expect(body.revisions[0]).toMatchObject({ number: 1, diffTruncated: false });
    expect(body.revisions[0].diff).toContain('+# Rewritten');
    expect(body.revisions[1]).toMatchObject({ number: 2, diff: null, diffTruncated: true });
  });

  it('stores the diff when the edit is saved, not when it is read', async () => {
    const slug = await publish('Small edit', 'line one\nline two');
    await api.http().put(`/api/articles/${slug}`).set(auth(token)).send({ article: { body: 'line one\nline 2' } }).expect(200);
    const { _id } = (await ArticleModel.findOne({ slug }).lean())!;
    const stored = await RevisionModel.find({ article: _id }).sort({ number: 1 }).lean();
    expect(stored.map((r) => r.diffTruncated)).toEqual([false, false]);
    expect(stored[1]!.diff).toContain('+line 2');
  });

  it('computes the diff of a revision stored before diffs were, once, and stores it', async () => {
    const slug = await publish('Legacy', 'old body');
    await api.http().put(`/api/articles/${slug}`).set(auth(token)).send({ article: { body: 'new body' } }).expect(200);
    const { _id } = (await ArticleModel.findOne({ slug }).lean())!;
    await RevisionModel.updateMany({ article: _id }, { $unset: { diff: 1, diffTruncated: 1 } });
    const { body } = await api.http().get(`/api/articles/${slug}/revisions`).expect(200);
    expect(body.revisions[1].diff).toContain('+new body');
    const stored = await RevisionModel.findOne({ article: _id, number: 2 }).lean();
    expect(stored!.diff).toBe(body.revisions[1].diff);
  });
});

describe('revision pages', () => {
  let slug: string;
  beforeAll(async () => {
    slug = await publish('Paged', 'v1');
    for (let v = 2; v <= 25; v += 1) await api.http().put(`/api/articles/${slug}`).set(auth(token)).send({ article: { body: `v${v}` } }).expect(200);
  });

  it('pages with limit (default 20) and offset; revisionsCount is the total', async () => {
    const first = await api.http().get(`/api/articles/${slug}/revisions`).expect(200);
    expect(first.body.revisionsCount).toBe(25);
    expect(first.body.revisions.map((r: { number: number }) => r.number)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const last = await api.http().get(`/api/articles/${slug}/revisions?limit=10&offset=20`).expect(200);
    expect(last.body.revisions.map((r: { number: number }) => r.number)).toEqual([21, 22, 23, 24, 25]);
    expect(last.body.revisionsCount).toBe(25);
  });

  it.each(['limit=0', 'limit=101', 'limit=abc', 'offset=-1', 'offset=1.5'])('refuses %s with 422', async (query) => {
    const response = await api.http().get(`/api/articles/${slug}/revisions?${query}`).expect(422);
    expect(Object.keys(response.body.fields)).toContain(query.split('=')[0]);
  });

  it('reads a page from the (article, number) index', async () => {
    const { _id } = (await ArticleModel.findOne({ slug }).lean())!;
    const stages = scanStages(await RevisionModel.find({ article: _id }).sort({ number: 1 }).skip(20).limit(20).explain());
    expect(stages.map((s) => s.stage)).not.toContain('COLLSCAN');
    expect(stages.map((s) => s.indexName)).toContain('article_1_number_1');
  });
});
