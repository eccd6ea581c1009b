import fc from 'fast-check';
import { configureRendering, DEFAULT_RENDER_SETTINGS, RENDER_BUSY_MESSAGE, RENDER_TIMEOUT_MESSAGE, rendersStartedOnPool } from '../../commands/rendering/renderPool';
import { MAX_BODY_BYTES } from '../../routes/articles/schema';
import { DraftModel } from '../../models/draft';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';
import { adversarialMarkdown, KNOWN_PATHOLOGIES } from './markdownArbitraries';

/**
 * Rendering through the API has a bounded cost: bodies over a Markdown limit are refused with 422
 * naming it, renders run off the event loop with a time budget (422), a full queue is refused
 * (503), and nothing is a 500. The unguarded renderer took 5-9 s on `_a` × 32,000 and answered 500
 * (stack overflow) on `>` × 3,000.
 */
let api: TestApi;
let token: string;
beforeAll(async () => {
  api = await startTestApi();
  ({ token } = await registerUser(api));
});
afterAll(() => api.close());
afterEach(() => configureRendering(DEFAULT_RENDER_SETTINGS));

const preview = (body: string) => api.http().post('/api/preview').send({ body });
const LIMIT_OR_TIMEOUT = /\(markdown .* limit\)$|^took too long to render$/;
/**
 * 2,900 paragraphs, just under the Markdown size limit: among the slowest accepted inputs (tens of
 * ms), well within the budget, and longer than inlineMaxChars so it renders on the pool.
 */
const SLOW_BODY = 'a\n\n'.repeat(2900);

describe('POST /api/preview', () => {
  it('refuses a body nested too deep with 422 naming the limit, not 500', async () => {
    const response = await preview('>'.repeat(3000)).expect(422);
    expect(response.body).toEqual({ errors: { body: ['nests deeper than 32 levels (markdown depth limit)'] } });
  });

  it.each([
    ['_a × 32,000 (quadratic emphasis)', '_a'.repeat(32000), 'markdown delimiter limit'],
    ['* × 20,000, a, * × 19,998 (stack overflow)', `${'*'.repeat(20000)}a${'*'.repeat(19998)}`, 'markdown delimiter run limit'],
    ['1. × 20,000 (nested lists on one line)', '1. '.repeat(20000), 'markdown depth limit'],
    ['a 64 KiB table (10,920 rows)', `|a|b|\n|-|-|\n${'|1|2|\n'.repeat((MAX_BODY_BYTES - 12) / 6)}`, 'markdown size limit'],
    ['3,100 paragraphs', 'a\n\n'.repeat(3100), 'markdown size limit'],
    ['a × 60, -, repeated (a table tried at every line)', `${'a'.repeat(60)}\n-\n`.repeat(1000), 'markdown table limit'],
    ['!a. × 21,000 (one word full of !)', '!a.'.repeat(21000), 'markdown word limit'],
  ])('refuses %s with 422 naming the limit', async (_name, body, limit) => {
    const response = await preview(body).expect(422);
    expect(response.body.errors.body[0]).toContain(limit);
  });

  // The time budget itself is enforced by the pool (see the timeout test below); how fast these render
  // is measured by `npm run bench -- worstCases`, not asserted here, where the machine's load decides.
  it.each(Object.entries(KNOWN_PATHOLOGIES))('answers the known pathology %s with 200 or a 422 naming the limit or the budget', async (_name, body) => {
    const response = await preview(body);
    expect([200, 422]).toContain(response.status);
    if (response.status === 422) expect(response.body.errors.body[0]).toMatch(LIMIT_OR_TIMEOUT);
  });

  it('renders long bodies on a pool thread (not the event loop) and short ones in place', async () => {
    const before = rendersStartedOnPool();
    const response = await preview(SLOW_BODY);
    // Under heavy load the render may overrun its budget; either way it ran on another thread.
    expect(response.status === 200 || response.body.errors?.body?.[0] === RENDER_TIMEOUT_MESSAGE).toBe(true);
    expect(rendersStartedOnPool()).toBe(before + 1);
    await preview('A *short* comment.').expect(200);
    expect(rendersStartedOnPool()).toBe(before + 1);
  });

  it('cancels a render over its time budget (422) and keeps rendering afterwards', async () => {
    configureRendering({ timeoutMs: 5 });
    const response = await preview(SLOW_BODY).expect(422);
    expect(response.body).toEqual({ errors: { body: [RENDER_TIMEOUT_MESSAGE] } });
    configureRendering(DEFAULT_RENDER_SETTINGS);
    expect((await preview('*still* works').expect(200)).body.html).toContain('<em>still</em>');
  });

  it('refuses with 503 when the render queue is full', async () => {
    configureRendering({ maxQueue: 0 });
    const responses = await Promise.all(Array.from({ length: 4 }, () => preview(SLOW_BODY)));
    const statuses = responses.map((r) => r.status);
    expect(statuses).toContain(200);
    expect(statuses).toContain(503);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    expect(responses.find((r) => r.status === 503)!.body).toEqual({ errors: { body: [RENDER_BUSY_MESSAGE] } });
  });

  it('property: random and adversarial Markdown up to the size limit is rendered or refused with 422, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(adversarialMarkdown(MAX_BODY_BYTES), async (body) => {
        const response = await preview(body);
        if (response.status === 422) return LIMIT_OR_TIMEOUT.test(response.body.errors.body[0]) || /can't be blank/.test(response.body.errors.body[0]);
        return response.status === 200;
      }),
      { numRuns: 25 },
    );
  });
});

describe('articles, comments and drafts use the same limits', () => {
  const deep = '>'.repeat(3000);
  const message = { errors: { body: ['nests deeper than 32 levels (markdown depth limit)'] } };

  it('refuses such a body on create and update of an article', async () => {
    await api.http().post('/api/articles').set(auth(token)).send({ article: { title: 'Deep', body: deep } }).expect(422, message);
    const { body } = await api.http().post('/api/articles').set(auth(token)).send({ article: { title: 'Shallow', body: 'ok' } }).expect(201);
    await api.http().put(`/api/articles/${body.article.slug}`).set(auth(token)).send({ article: { body: deep } }).expect(422, message);
    await api.http().post(`/api/articles/${body.article.slug}/comments`).set(auth(token)).send({ comment: { body: deep } }).expect(422, message);
  });

  it('refuses such a body when a draft is saved', async () => {
    // Drafts check the body in their schema: a field error, so the sentence names the field.
    await api
      .http()
      .post('/api/drafts')
      .set(auth(token))
      .send({ draft: { title: 'Deep', body: deep } })
      .expect(422, { errors: { body: ['body nests deeper than 32 levels (markdown depth limit)'] }, fields: { body: ['nests deeper than 32 levels (markdown depth limit)'] } });
  });

  it('returns a draft saved before the limits to its author with the reason when it is published', async () => {
    const { body } = await api.http().post('/api/drafts').set(auth(token)).send({ draft: { title: 'Old deep', body: 'fine for now' } }).expect(201);
    await DraftModel.updateOne({ _id: body.draft.id }, { $set: { body: deep } });
    const response = await api.http().post(`/api/drafts/${body.draft.id}/publish`).set(auth(token)).expect(422);
    expect(response.body.fields.draft).toEqual(['body nests deeper than 32 levels (markdown depth limit)']);
    const stored = await DraftModel.findById(body.draft.id).lean();
    expect(stored).toMatchObject({ status: 'draft', publishError: 'body nests deeper than 32 levels (markdown depth limit)' });
  });
});
