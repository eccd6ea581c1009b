import { ArticleModel } from '../../models/article';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const newArticle = (overrides: Record<string, unknown> = {}) => ({
  article: { title: 'How to train your dragon', description: 'Ever wonder how?', body: 'Very **carefully**.', tagList: ['training', 'dragons'], ...overrides },
});

describe('articles', () => {
  it('creates an article with a slug, normalised tags and rendered extensions', async () => {
    const { token, username } = await registerUser(api);
    const response = await api
      .http()
      .post('/api/articles')
      .set(auth(token))
      .send(newArticle({ tagList: [' Dragons ', 'training', 'DRAGONS', 'how to'], body: '# Title\n\nSome words here ![pic](https://img.example.com/d.png)' }))
      .expect(201);
    const article = response.body.article;
    expect(article.slug).toBe('how-to-train-your-dragon');
    expect(article.tagList).toEqual(['dragons', 'how-to', 'training']);
    expect(article).toMatchObject({ favorited: false, favoritesCount: 0, author: { username, following: false } });
    expect(article.bodyHtml).toContain('<h1>');
    expect(article.images).toEqual(['https://img.example.com/d.png']);
    expect(article.readingTimeMinutes).toBe(1);
    expect(article.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('gives a second article with the same title a different slug, also under concurrency', async () => {
    const { token } = await registerUser(api);
    const created = await Promise.all(
      Array.from({ length: 5 }, () => api.http().post('/api/articles').set(auth(token)).send(newArticle({ title: 'Same Title' }))),
    );
    const slugs = created.map((r) => r.body.article.slug as string);
    expect(new Set(slugs).size).toBe(5);
    expect(slugs).toContain('same-title');
    for (const slug of slugs) expect(slug).toMatch(/^same-title(-[0-9a-f]{8})?$/);
  });

  it('changes the slug with the title and keeps the old slug resolving', async () => {
    const { token } = await registerUser(api);
    const { body } = await api.http().post('/api/articles').set(auth(token)).send(newArticle({ title: 'Original title' })).expect(201);
    const updated = await api.http().put(`/api/articles/${body.article.slug}`).set(auth(token)).send({ article: { title: 'Better title' } }).expect(200);
    expect(updated.body.article.slug).toBe('better-title');
    const viaOld = await api.http().get('/api/articles/original-title').expect(200);
    expect(viaOld.body.article.slug).toBe('better-title');
    const body2 = await api.http().put('/api/articles/better-title').set(auth(token)).send({ article: { body: 'With two hands' } }).expect(200);
    expect(body2.body.article.body).toBe('With two hands');
    expect(body2.body.article.bodyHtml).toBe('<p>With two hands</p>\n');
  });

  it('lets only the author edit or delete (403), and deletes with 204', async () => {
    const author = await registerUser(api);
    const other = await registerUser(api);
    const { body } = await api.http().post('/api/articles').set(auth(author.token)).send(newArticle({ title: 'Mine alone' })).expect(201);
    const slug = body.article.slug;
    await api.http().put(`/api/articles/${slug}`).set(auth(other.token)).send({ article: { body: 'hijacked' } }).expect(403);
    await api.http().delete(`/api/articles/${slug}`).set(auth(other.token)).expect(403);
    expect((await ArticleModel.findOne({ slug }).lean())!.body).toBe('Very **carefully**.');
    await api.http().delete(`/api/articles/${slug}`).expect(401);
    await api.http().delete(`/api/articles/${slug}`).set(auth(author.token)).expect(204);
    await api.http().get(`/api/articles/${slug}`).expect(404);
  });

  it.each([
    [{ article: { description: 'd', body: 'b' } }, 'title'],
    [{ article: { title: '', description: 'd', body: 'b' } }, 'title'],
    [{ article: { title: 'x'.repeat(256), description: 'd', body: 'b' } }, 'title'],
    [{ article: { title: 't', description: 'd', body: 'x'.repeat(64 * 1024 + 1) } }, 'body'],
    [{ article: { title: 't', description: 'd', body: 'é'.repeat(33 * 1024) } }, 'body'],
    [{ article: { title: 't', description: 'd', body: 'b', tagList: 'dragons' } }, 'tagList'],
    [{ article: { title: 't', description: 'd', body: 'b', tagList: Array.from({ length: 11 }, (_, i) => `t${i}`) } }, 'tagList'],
    [{ article: { title: 't', description: 'd', body: 'b', tagList: ['<script>'] } }, 'tagList'],
    [{ article: { title: 7, description: 'd', body: 'b' } }, 'title'],
    [{ title: 't' }, 'article'],
  ])('rejects bad article %# with 422 on %s and stores nothing', async (payload, field) => {
    const { token } = await registerUser(api);
    const before = await ArticleModel.countDocuments();
    const response = await api.http().post('/api/articles').set(auth(token)).send(payload);
    expect(response.status).toBe(422);
    expect(Object.keys(response.body.fields).join(',')).toContain(field);
    expect(await ArticleModel.countDocuments()).toBe(before);
  });

  it('answers unknown slugs with 404', async () => {
    const { token } = await registerUser(api);
    await api.http().get('/api/articles/no-such-article').expect(404);
    await api.http().put('/api/articles/no-such-article').set(auth(token)).send({ article: { body: 'x' } }).expect(404);
    await api.http().post('/api/articles/no-such-article/favorite').set(auth(token)).expect(404);
    await api.http().get('/api/articles/no-such-article/comments').expect(404);
  });

  it('favorites and unfavorites, counting each user once', async () => {
    const author = await registerUser(api);
    const fans = await Promise.all([registerUser(api), registerUser(api)]);
    const { body } = await api.http().post('/api/articles').set(auth(author.token)).send(newArticle({ title: 'Favorite me' })).expect(201);
    const slug = body.article.slug;
    await Promise.all(Array.from({ length: 4 }, () => api.http().post(`/api/articles/${slug}/favorite`).set(auth(fans[0]!.token)).expect(200)));
    const second = await api.http().post(`/api/articles/${slug}/favorite`).set(auth(fans[1]!.token)).expect(200);
    expect(second.body.article).toMatchObject({ favorited: true, favoritesCount: 2 });
    const anonymous = await api.http().get(`/api/articles/${slug}`).expect(200);
    expect(anonymous.body.article).toMatchObject({ favorited: false, favoritesCount: 2 });
    const undone = await api.http().delete(`/api/articles/${slug}/favorite`).set(auth(fans[0]!.token)).expect(200);
    expect(undone.body.article).toMatchObject({ favorited: false, favoritesCount: 1 });
    const favoritedBy = await api.http().get(`/api/articles?favorited=${fans[1]!.username}`).expect(200);
    expect(favoritedBy.body.articles.map((a: { slug: string }) => a.slug)).toEqual([slug]);
  });
});

describe('lists, feed and tags', () => {
  it('filters by tag and author, pages newest first, and leaves bodies out of lists', async () => {
    const writer = await registerUser(api);
    const slugs: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const { body } = await api.http().post('/api/articles').set(auth(writer.token)).send(newArticle({ title: `Paged ${i}`, tagList: ['paging'] }));
      slugs.push(body.article.slug);
    }
    const page = await api.http().get('/api/articles?tag=paging&limit=2&offset=1').expect(200);
    expect(page.body.articlesCount).toBe(5);
    expect(page.body.articles.map((a: { slug: string }) => a.slug)).toEqual([slugs[3], slugs[2]]);
    expect(page.body.articles[0]).not.toHaveProperty('body');
    expect(page.body.articles[0]).not.toHaveProperty('bodyHtml');
    const byAuthor = await api.http().get(`/api/articles?author=${writer.username.toUpperCase()}`).expect(200);
    expect(byAuthor.body.articlesCount).toBe(5);
    const nobody = await api.http().get('/api/articles?author=nobody-at-all').expect(200);
    expect(nobody.body).toEqual({ articles: [], articlesCount: 0 });
  });

  it.each(['limit=0', 'limit=101', 'limit=abc', 'offset=-1', 'offset=1.5'])('rejects ?%s with 422', async (query) => {
    const response = await api.http().get(`/api/articles?${query}`);
    expect(response.status).toBe(422);
  });

  it('shows a follower the feed of followed authors only', async () => {
    const reader = await registerUser(api);
    const followed = await registerUser(api);
    const ignored = await registerUser(api);
    await api.http().post('/api/articles').set(auth(followed.token)).send(newArticle({ title: 'Followed post' })).expect(201);
    await api.http().post('/api/articles').set(auth(ignored.token)).send(newArticle({ title: 'Ignored post' })).expect(201);
    expect((await api.http().get('/api/articles/feed').set(auth(reader.token)).expect(200)).body).toEqual({ articles: [], articlesCount: 0 });
    const follow = await api.http().post(`/api/profiles/${followed.username}/follow`).set(auth(reader.token)).expect(200);
    expect(follow.body.profile).toMatchObject({ username: followed.username, following: true });
    const feed = await api.http().get('/api/articles/feed').set(auth(reader.token)).expect(200);
    expect(feed.body.articles.map((a: { title: string }) => a.title)).toEqual(['Followed post']);
    expect(feed.body.articles[0].author.following).toBe(true);
    await api.http().get('/api/articles/feed').expect(401);
    const unfollow = await api.http().delete(`/api/profiles/${followed.username}/follow`).set(auth(reader.token)).expect(200);
    expect(unfollow.body.profile.following).toBe(false);
    await api.http().post(`/api/profiles/${reader.username}/follow`).set(auth(reader.token)).expect(422);
    await api.http().get('/api/profiles/no-such-user').expect(404);
  });

  it('lists tags most used first and forgets tags of deleted articles', async () => {
    const { token } = await registerUser(api);
    await api.http().post('/api/articles').set(auth(token)).send(newArticle({ title: 'T1', tagList: ['zeta', 'common'] }));
    await api.http().post('/api/articles').set(auth(token)).send(newArticle({ title: 'T2', tagList: ['common'] }));
    const { body } = await api.http().post('/api/articles').set(auth(token)).send(newArticle({ title: 'T3', tagList: ['lonely'] }));
    const tags = (await api.http().get('/api/tags').expect(200)).body.tags as string[];
    expect(tags.indexOf('common')).toBeLessThan(tags.indexOf('zeta'));
    expect(tags).toContain('lonely');
    await api.http().delete(`/api/articles/${body.article.slug}`).set(auth(token)).expect(204);
    expect((await api.http().get('/api/tags').expect(200)).body.tags).not.toContain('lonely');
  });

  it('shows an edit, a comment and a vote on the next anonymous read of the article and of the list (the read cache is invalidated)', async () => {
    const { token } = await registerUser(api);
    const { body } = await api.http().post('/api/articles').set(auth(token)).send(newArticle({ title: 'Cached read' }));
    const slug = body.article.slug;
    expect((await api.http().get(`/api/articles/${slug}`)).body.article.body).toBe('Very **carefully**.');
    expect((await api.http().get(`/api/articles/${slug}`)).body.article.body).toBe('Very **carefully**.');
    await api.http().put(`/api/articles/${slug}`).set(auth(token)).send({ article: { body: 'Edited' } }).expect(200);
    expect((await api.http().get(`/api/articles/${slug}`)).body.article.body).toBe('Edited');
    await api.http().post(`/api/articles/${slug}/comments`).set(auth(token)).send({ comment: { body: 'first' } }).expect(200);
    expect((await api.http().get(`/api/articles/${slug}`)).body.article.commentsCount).toBe(1);
    const listed = async () => (await api.http().get(`/api/articles?author=${body.article.author.username}`)).body.articles[0];
    expect((await listed()).favoritesCount).toBe(0);
    const reader = await registerUser(api);
    await api.http().post(`/api/articles/${slug}/votes`).set(auth(reader.token)).send({ vote: { weight: 10000 } }).expect(200);
    expect((await api.http().get(`/api/articles/${slug}`)).body.article.upvotes).toBe(1);
    expect((await listed()).favoritesCount).toBe(1);
    await api.http().delete(`/api/articles/${slug}/favorite`).set(auth(reader.token)).expect(200);
    expect((await listed()).favoritesCount).toBe(0);
  });
});

describe('comments', () => {
  it('adds, threads, lists and deletes comments with the right permissions', async () => {
    const author = await registerUser(api);
    const commenter = await registerUser(api);
    const stranger = await registerUser(api);
    const { body } = await api.http().post('/api/articles').set(auth(author.token)).send(newArticle({ title: 'Discuss' }));
    const slug = body.article.slug;
    const first = await api.http().post(`/api/articles/${slug}/comments`).set(auth(commenter.token)).send({ comment: { body: 'Thank you so much!' } }).expect(200);
    expect(Number.isInteger(first.body.comment.id)).toBe(true);
    expect(first.body.comment).toMatchObject({ body: 'Thank you so much!', parentId: null, depth: 0, author: { username: commenter.username } });
    const reply = await api.http().post(`/api/articles/${slug}/comments`).set(auth(author.token)).send({ comment: { body: 'You are welcome', parentId: first.body.comment.id } }).expect(200);
    expect(reply.body.comment).toMatchObject({ parentId: first.body.comment.id, depth: 1 });
    await api.http().post(`/api/articles/${slug}/comments`).set(auth(author.token)).send({ comment: { body: 'x', parentId: 999999 } }).expect(422);
    await api.http().post(`/api/articles/${slug}/comments`).set(auth(author.token)).send({ comment: { body: '   ' } }).expect(422);
    await api.http().post(`/api/articles/${slug}/comments`).send({ comment: { body: 'anon' } }).expect(401);

    const list = await api.http().get(`/api/articles/${slug}/comments`).expect(200);
    expect(list.body.comments.map((c: { body: string }) => c.body)).toEqual(['Thank you so much!', 'You are welcome']);

    await api.http().delete(`/api/articles/${slug}/comments/${first.body.comment.id}`).set(auth(stranger.token)).expect(403);
    await api.http().delete(`/api/articles/${slug}/comments/abc`).set(auth(author.token)).expect(422);
    await api.http().delete(`/api/articles/${slug}/comments/987654`).set(auth(author.token)).expect(404);
    await api.http().delete(`/api/articles/${slug}/comments/${first.body.comment.id}`).set(auth(author.token)).expect(204);
    await api.http().delete(`/api/articles/${slug}/comments/${reply.body.comment.id}`).set(auth(author.token)).expect(204);
    expect((await api.http().get(`/api/articles/${slug}/comments`)).body.comments).toEqual([]);
  });
});

describe('preview', () => {
  it('renders Markdown with the article renderer, without auth', async () => {
    const response = await api.http().post('/api/preview').send({ body: '**bold** <script>alert(1)</script>' }).expect(200);
    expect(response.body.html).toContain('<strong>bold</strong>');
    expect(response.body.html).not.toContain('<script');
    await api.http().post('/api/preview').send({ body: 'x'.repeat(64 * 1024 + 1) }).expect(422);
  });
});
