import { ArticleModel } from '../../models/article';
import { DraftModel } from '../../models/draft';
import { publishDraft } from '../../commands/drafts/drafts';
import { PublishScheduler } from '../../workers/scheduler/publishScheduler';
import { createLogger } from '../../lib/logger';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const logger = createLogger('silent');

describe('revision history', () => {
  it('records every edit and diffs each revision against the previous one', async () => {
    const { token, username } = await registerUser(api);
    const { body } = await api.http().post('/api/articles').set(auth(token)).send({ article: { title: 'Evolving', description: 'v1', body: 'line one\nline two\n', tagList: ['a'] } });
    await api.http().put(`/api/articles/${body.article.slug}`).set(auth(token)).send({ article: { body: 'line one\nline 2\n' } }).expect(200);
    await api.http().put(`/api/articles/${body.article.slug}`).set(auth(token)).send({ article: { title: 'Evolved', tagList: ['a', 'b'] } }).expect(200);
    const { body: history } = await api.http().get('/api/articles/evolved/revisions').expect(200);
    expect(history.revisionsCount).toBe(3);
    expect(history.revisions.map((r: { number: number }) => r.number)).toEqual([1, 2, 3]);
    expect(history.revisions[0].editor).toBe(username);
    expect(history.revisions[0].diff).toContain('+line one');
    expect(history.revisions[1].diff).toContain('-line two');
    expect(history.revisions[1].diff).toContain('+line 2');
    expect(history.revisions[1].diff).not.toContain('-line one');
    expect(history.revisions[2].diff).toContain('-# Evolving');
    expect(history.revisions[2].diff).toContain('+# Evolved');
    expect(history.revisions[2].diff).toContain('+tags: a, b');
  });
});

describe('bookmarks', () => {
  it('bookmarks, lists (newest bookmark first) and removes', async () => {
    const { token } = await registerUser(api);
    const slugs: string[] = [];
    for (const title of ['Keep one', 'Keep two']) {
      const { body } = await api.http().post('/api/articles').set(auth(token)).send({ article: { title, description: '', body: 'b' } });
      slugs.push(body.article.slug);
    }
    const reader = await registerUser(api);
    await api.http().post(`/api/articles/${slugs[0]}/bookmark`).set(auth(reader.token)).expect(200);
    await api.http().post(`/api/articles/${slugs[1]}/bookmark`).set(auth(reader.token)).expect(200);
    await api.http().post(`/api/articles/${slugs[1]}/bookmark`).set(auth(reader.token)).expect(200);
    const list = await api.http().get('/api/user/bookmarks').set(auth(reader.token)).expect(200);
    expect(list.body.articlesCount).toBe(2);
    expect(list.body.articles.map((a: { slug: string }) => a.slug)).toEqual([slugs[1], slugs[0]]);
    await api.http().delete(`/api/articles/${slugs[1]}/bookmark`).set(auth(reader.token)).expect(200);
    expect((await api.http().get('/api/user/bookmarks').set(auth(reader.token))).body.articlesCount).toBe(1);
    await api.http().get('/api/user/bookmarks').expect(401);
    await api.http().post('/api/articles/missing/bookmark').set(auth(reader.token)).expect(404);
  });
});

describe('drafts and scheduled publishing', () => {
  it('keeps drafts private to their author and publishes one on demand, once', async () => {
    const author = await registerUser(api);
    const other = await registerUser(api);
    const created = await api.http().post('/api/drafts').set(auth(author.token)).send({ draft: { title: 'Work in progress' } }).expect(201);
    const id = created.body.draft.id;
    expect(created.body.draft).toMatchObject({ status: 'draft', body: '', publishAt: null });
    await api.http().get(`/api/drafts/${id}`).set(auth(other.token)).expect(404);
    await api.http().put(`/api/drafts/${id}`).set(auth(other.token)).send({ draft: { body: 'x' } }).expect(404);
    const early = await api.http().post(`/api/drafts/${id}/publish`).set(auth(author.token)).expect(422);
    expect(early.body.fields.draft[0]).toMatch(/body/);
    await api.http().put(`/api/drafts/${id}`).set(auth(author.token)).send({ draft: { body: 'Finished.', tagList: ['Drafts'] } }).expect(200);
    const attempts = await Promise.all([1, 2, 3].map(() => api.http().post(`/api/drafts/${id}/publish`).set(auth(author.token))));
    expect(attempts.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    const published = attempts.find((r) => r.status === 201)!.body.article;
    expect(published).toMatchObject({ title: 'Work in progress', body: 'Finished.', tagList: ['drafts'] });
    expect(await ArticleModel.countDocuments({ title: 'Work in progress' })).toBe(1);
    const listed = await api.http().get('/api/drafts').set(auth(author.token)).expect(200);
    expect(listed.body.drafts.map((d: { id: string }) => d.id)).not.toContain(id);
    await api.http().put(`/api/drafts/${id}`).set(auth(author.token)).send({ draft: { body: 'late edit' } }).expect(409);
    await api.http().post('/api/drafts').set(auth(author.token)).send({ draft: { publishAt: 'tomorrow' } }).expect(422);
    await api.http().post('/api/drafts').set(auth(author.token)).send({ draft: { unknown: 1 } }).expect(422);
  });

  it('publishes a scheduled draft when its time comes, across a scheduler restart, exactly once', async () => {
    const author = await registerUser(api);
    const publishAt = new Date(api.clock.now().getTime() + 60_000);
    const { body } = await api
      .http()
      .post('/api/drafts')
      .set(auth(author.token))
      .send({ draft: { title: 'Scheduled post', body: 'Goes out later', publishAt: publishAt.toISOString() } })
      .expect(201);
    const first = new PublishScheduler(api.clock, logger, 604800);
    expect(await first.tick()).toBe(0);
    api.clock.advance(59_000);
    expect(await first.tick()).toBe(0);
    await first.stop();

    // A scheduler that crashed mid-publication: claim taken, article not yet created.
    api.clock.advance(1_000);
    await DraftModel.updateOne({ _id: body.draft.id }, { $set: { status: 'publishing', claimedUntil: new Date(api.clock.now().getTime() + 60_000) } });
    const restarted = new PublishScheduler(api.clock, logger, 604800);
    expect(await restarted.tick()).toBe(0); // the claim still holds
    api.clock.advance(60_000);
    const [a, b] = await Promise.all([restarted.tick(), new PublishScheduler(api.clock, logger, 604800).tick()]);
    expect(a + b).toBe(1);
    expect(await ArticleModel.countDocuments({ title: 'Scheduled post' })).toBe(1);
    expect(await restarted.tick()).toBe(0);
    const draft = await DraftModel.findById(body.draft.id).lean();
    expect(draft).toMatchObject({ status: 'published' });
  });

  it('completes a publication whose article was created just before the publisher died', async () => {
    const author = await registerUser(api);
    const { body } = await api.http().post('/api/drafts').set(auth(author.token)).send({ draft: { title: 'Half done', body: 'b' } }).expect(201);
    const article = await publishDraft(body.draft.id, api.clock.now(), { payoutWindowSeconds: 604800 });
    // Simulate the crash: the article exists but the draft was never marked published.
    await DraftModel.updateOne({ _id: body.draft.id }, { $set: { status: 'publishing', claimedUntil: api.clock.now(), articleSlug: null } });
    const again = await publishDraft(body.draft.id, api.clock.now(), { payoutWindowSeconds: 604800 });
    expect(again!.slug).toBe(article!.slug);
    expect(await ArticleModel.countDocuments({ title: 'Half done' })).toBe(1);
  });
});
