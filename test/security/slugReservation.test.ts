import { Types } from 'mongoose';
import { ArticleModel } from '../../models/article';
import { SlugModel } from '../../models/slug';
import { VoteModel } from '../../models/vote';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

/**
 * Finding: A's "Hijack X" (`hijack-x`) was retitled; B then created "Hijack X" and got `hijack-x`,
 * so `GET /api/articles/hijack-x` showed B's article and a third user's vote sent to that address
 * landed on B's, although old slugs are promised to keep resolving to their article.
 */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const article = (title: string) => ({ article: { title, description: 'd', body: 'body', tagList: [] } });

async function create(token: string, title: string): Promise<{ slug: string; id: string }> {
  const { body } = await api.http().post('/api/articles').set(auth(token)).send(article(title)).expect(201);
  const stored = await ArticleModel.findOne({ slug: body.article.slug }, { _id: 1 }).lean();
  return { slug: body.article.slug as string, id: stored!._id.toString() };
}

it('never gives a retitled article\'s old slug to another article; the old address and votes sent to it reach the first article', async () => {
  const a = await registerUser(api);
  const b = await registerUser(api);
  const c = await registerUser(api);
  const first = await create(a.token, 'Hijack X');
  expect(first.slug).toBe('hijack-x');
  // C votes through the address while it is A's (the vote route remembers which article it names).
  await api.http().post('/api/articles/hijack-x/votes').set(auth(c.token)).send({ vote: { weight: 5000 } }).expect(200);

  const renamed = await api.http().put('/api/articles/hijack-x').set(auth(a.token)).send({ article: { title: 'Something Else' } }).expect(200);
  expect(renamed.body.article.slug).toBe('something-else');

  const second = await create(b.token, 'Hijack X');
  expect(second.slug).toMatch(/^hijack-x-[0-9a-f]{8}$/);
  expect(second.id).not.toBe(first.id);

  const read = await api.http().get('/api/articles/hijack-x').expect(200);
  expect(read.body.article.slug).toBe('something-else');
  expect(read.body.article.author.username).toBe(a.username);

  // A third user's vote sent to the old address lands on A's article, not B's.
  api.clock.advance(4000);
  const vote = await api.http().post('/api/articles/hijack-x/votes').set(auth(c.token)).send({ vote: { weight: 10000 } }).expect(200);
  expect(vote.body.article.slug).toBe('something-else');
  const d = await registerUser(api);
  const fresh = await api.http().post('/api/articles/hijack-x/votes').set(auth(d.token)).send({ vote: { weight: 10000 } }).expect(200);
  expect(fresh.body.article.slug).toBe('something-else');
  const favorite = await api.http().post('/api/articles/hijack-x/favorite').set(auth(b.token)).expect(200);
  expect(favorite.body.article.slug).toBe('something-else');
  expect(await VoteModel.countDocuments({ article: new Types.ObjectId(second.id) })).toBe(0);
  expect(await VoteModel.countDocuments({ article: new Types.ObjectId(first.id), weight: { $gt: 0 } })).toBe(3);

  // A may take its own old slug back.
  const back = await api.http().put('/api/articles/something-else').set(auth(a.token)).send({ article: { title: 'Hijack X' } }).expect(200);
  expect(back.body.article.slug).toBe('hijack-x');
  expect((await api.http().get('/api/articles/something-else').expect(200)).body.article.slug).toBe('hijack-x');
});

it("keeps a deleted article's slug from being taken by another article", async () => {
  const a = await registerUser(api);
  const b = await registerUser(api);
  await create(a.token, 'Gone Tomorrow');
  await api.http().delete('/api/articles/gone-tomorrow').set(auth(a.token)).expect(204);
  const again = await create(b.token, 'Gone Tomorrow');
  expect(again.slug).toMatch(/^gone-tomorrow-[0-9a-f]{8}$/);
  await api.http().get('/api/articles/gone-tomorrow').expect(404);
});

it('honours the slugs of articles written before reservations existed', async () => {
  const b = await registerUser(api);
  // Written straight to the collection, as every article was before reservations: no reservation.
  await ArticleModel.create({ slug: 'legacy-post', previousSlugs: ['legacy-old'], title: 'Legacy Post', author: new Types.ObjectId(), payoutAt: new Date(Date.now() + 86_400_000) });
  expect((await create(b.token, 'Legacy Post')).slug).toMatch(/^legacy-post-[0-9a-f]{8}$/);
  expect((await create(b.token, 'Legacy Old')).slug).toMatch(/^legacy-old-[0-9a-f]{8}$/);
  expect((await api.http().get('/api/articles/legacy-old').expect(200)).body.article.slug).toBe('legacy-post');
  // The reservations now name the legacy article.
  const legacy = await ArticleModel.findOne({ slug: 'legacy-post' }, { _id: 1 }).lean();
  expect((await SlugModel.findById('legacy-old').lean())?.article.toString()).toBe(legacy!._id.toString());
});

it('gives concurrent articles with one title distinct slugs, the plain one to exactly one of them', async () => {
  const users = await Promise.all([1, 2, 3, 4, 5].map(() => registerUser(api)));
  const slugs = await Promise.all(users.map((u) => create(u.token, 'Same Title Race').then((r) => r.slug)));
  expect(new Set(slugs).size).toBe(5);
  expect(slugs.filter((slug) => slug === 'same-title-race')).toHaveLength(1);
  expect(await SlugModel.countDocuments({ _id: { $in: slugs } })).toBe(5);
});
