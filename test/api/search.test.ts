import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

/** GET /api/articles?q=: the articles' text index, by relevance, with the list's filters and bounds. */
let api: TestApi;
let alice: { token: string; username: string };
let bob: { token: string; username: string };

async function publish(token: string, article: { title: string; description?: string; body: string; tagList?: string[] }): Promise<string> {
  const response = await api.http().post('/api/articles').set(auth(token)).send({ article: { description: '', tagList: [], ...article } }).expect(201);
  return response.body.article.slug as string;
}

const titles = (body: { articles: { title: string }[] }) => body.articles.map((article) => article.title);

beforeAll(async () => {
  api = await startTestApi();
  alice = await registerUser(api);
  bob = await registerUser(api);
  await publish(alice.token, { title: 'Gardening in small spaces', body: 'Tomatoes grow well on a balcony.', tagList: ['garden'] });
  await publish(alice.token, { title: 'Notes on compost', body: 'A garden needs compost; composting takes a season.', tagList: ['soil'] });
  await publish(bob.token, { title: 'Bread at home', description: 'Sourdough for gardeners too', body: 'Flour, water, salt and time.', tagList: ['kitchen'] });
  await publish(bob.token, { title: 'Winter cycling', body: 'Studded tyres and a good light.', tagList: ['bikes'] });
});
afterAll(() => api.close());

it('finds articles by stemmed words, a title match first, and counts every match', async () => {
  const { body } = await api.http().get('/api/articles?q=gardens').expect(200);
  expect(titles(body)).toEqual(['Gardening in small spaces', 'Bread at home', 'Notes on compost']);
  expect(body.articlesCount).toBe(3);
  expect(body.articles[0]).not.toHaveProperty('score');
  expect(body.articles[0]).not.toHaveProperty('body');

  const page = await api.http().get('/api/articles?q=gardens&limit=1&offset=1').expect(200);
  expect(titles(page.body)).toEqual(['Bread at home']);
  expect(page.body.articlesCount).toBe(3);
});

it('takes phrases and exclusions', async () => {
  expect(titles((await api.http().get('/api/articles').query({ q: 'garden -compost' }).expect(200)).body)).toEqual(['Gardening in small spaces', 'Bread at home']);
  expect(titles((await api.http().get('/api/articles').query({ q: '"good light"' }).expect(200)).body)).toEqual(['Winter cycling']);
  const none = await api.http().get('/api/articles').query({ q: 'the and of' }).expect(200);
  expect(none.body).toEqual({ articles: [], articlesCount: 0 });
});

it('combines with the tag, author and favorited filters', async () => {
  expect(titles((await api.http().get('/api/articles').query({ q: 'garden', tag: 'soil' }).expect(200)).body)).toEqual(['Notes on compost']);
  expect(titles((await api.http().get('/api/articles').query({ q: 'garden', author: bob.username }).expect(200)).body)).toEqual(['Bread at home']);
  const favorite = (await api.http().get('/api/articles').query({ q: 'compost' }).expect(200)).body.articles[0].slug as string;
  await api.http().post(`/api/articles/${favorite}/favorite`).set(auth(bob.token)).expect(200);
  const favorited = await api.http().get('/api/articles').query({ q: 'garden', favorited: bob.username }).expect(200);
  expect(titles(favorited.body)).toEqual(['Notes on compost']);
  expect(favorited.body.articlesCount).toBe(1);
});

it('is bounded: an empty or over-long query is refused with 422', async () => {
  await api.http().get('/api/articles').query({ q: 'x'.repeat(201) }).expect(422);
  await api.http().get('/api/articles').query({ q: '   ' }).expect(422);
  await api.http().get('/api/articles').query({ q: 'x'.repeat(200) }).expect(200);
});

it('anonymous searches are cached under their own words', async () => {
  const first = await api.http().get('/api/articles?q=bread').expect(200);
  const second = await api.http().get('/api/articles?q=cycling').expect(200);
  expect(titles(first.body)).toEqual(['Bread at home']);
  expect(titles(second.body)).toEqual(['Winter cycling']);
  expect(titles((await api.http().get('/api/articles?q=bread').expect(200)).body)).toEqual(['Bread at home']);
});
