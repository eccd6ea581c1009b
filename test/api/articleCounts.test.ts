import { Types } from 'mongoose';
import { recountArticles } from '../../commands/articles/articleCounts';
import { ArticleModel } from '../../models/article';
import { TagModel } from '../../models/tag';
import { UserModel } from '../../models/user';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

/** Lists read `articlesCount` from stored per-tag and per-author counts (docs/architecture.md, "Stored counts"). */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const publish = async (token: string, title: string, tagList: string[]) =>
  (await api.http().post('/api/articles').set(auth(token)).send({ article: { title, description: '', body: 'Body', tagList } }).expect(201)).body.article.slug as string;
const userId = async (username: string) => (await UserModel.findOne({ username }, { _id: 1 }).lean())!._id;
const countOf = async (path: string, token?: string) => {
  const request = api.http().get(path);
  if (token) request.set(auth(token));
  return (await request.expect(200)).body.articlesCount as number;
};

describe('articlesCount from stored counts', () => {
  it('matches the articles each list holds through publishing, retagging and deleting, for anonymous and signed-in readers with mutes', async () => {
    const [alice, bob, carol, reader] = [await registerUser(api), await registerUser(api), await registerUser(api), await registerUser(api)];
    const [x, y, z] = ['countx', 'county', 'countz'];
    const aliceFirst = await publish(alice.token, 'Alice one', [x, y]);
    await publish(alice.token, 'Alice two', [x]);
    await publish(alice.token, 'Alice three', [y]);
    const bobFirst = await publish(bob.token, 'Bob one', [x]);
    await publish(bob.token, 'Bob two', [x, z]);
    await publish(carol.token, 'Carol one', [x, z]);
    await publish(carol.token, 'Carol two', [z]);
    await api.http().put(`/api/articles/${aliceFirst}`).set(auth(alice.token)).send({ article: { tagList: [z] } }).expect(200);
    await api.http().delete(`/api/articles/${bobFirst}`).set(auth(bob.token)).expect(204);
    for (const followee of [alice, bob, carol]) await api.http().post(`/api/profiles/${followee.username}/follow`).set(auth(reader.token)).expect(200);
    await api.http().post(`/api/profiles/${carol.username}/mute`).set(auth(reader.token)).expect(200);

    const [aliceId, bobId, carolId] = await Promise.all([alice, bob, carol].map((user) => userId(user.username)));
    const counted = (filter: Record<string, unknown>) => ArticleModel.countDocuments(filter);
    const unmuted = { $nin: [carolId] };

    // Anonymous: every article of a tag, of an author, of the whole site.
    expect(await countOf(`/api/articles?tag=${x}`)).toBe(await counted({ tagList: x }));
    expect(await countOf(`/api/articles?tag=${x}`)).toBe(3);
    expect(await countOf(`/api/articles?tag=${z}`)).toBe(4);
    expect(await countOf(`/api/articles?author=${alice.username}`)).toBe(3);
    expect(await countOf(`/api/articles?author=${bob.username}`)).toBe(1);
    expect(await countOf('/api/articles')).toBe(await counted({}));
    expect(await countOf(`/api/articles?tag=${z}&author=${carol.username}`)).toBe(2);

    // Signed in with Carol muted: her articles are left out of every count.
    expect(await countOf(`/api/articles?tag=${x}`, reader.token)).toBe(await counted({ tagList: x, author: unmuted }));
    expect(await countOf(`/api/articles?tag=${x}`, reader.token)).toBe(2);
    expect(await countOf(`/api/articles?tag=${z}`, reader.token)).toBe(2);
    expect(await countOf(`/api/articles?author=${carol.username}`, reader.token)).toBe(0);
    expect(await countOf(`/api/articles?author=${alice.username}`, reader.token)).toBe(3);
    expect(await countOf('/api/articles', reader.token)).toBe(await counted({ author: unmuted }));
    expect(await countOf('/api/articles/feed', reader.token)).toBe(await counted({ author: { $in: [aliceId, bobId] } }));
    expect(await countOf('/api/articles/feed', reader.token)).toBe(4);

    // Unmuting brings Carol's articles back into the counts.
    await api.http().delete(`/api/profiles/${carol.username}/mute`).set(auth(reader.token)).expect(200);
    expect(await countOf('/api/articles/feed', reader.token)).toBe(await counted({ author: { $in: [aliceId, bobId, carolId] } }));
    expect(await countOf(`/api/articles?tag=${z}`, reader.token)).toBe(4);
  });

  it('ranks tags and counts lists from the same stored counts, which a recount rebuilds from the articles', async () => {
    const writer = await registerUser(api);
    const writerId = await userId(writer.username);
    const slug = await publish(writer.token, 'Counted once', ['recounted']);
    // Written around the API (as a process stopping between an article and its counts would leave it): the stored counts lag.
    const { _id: _published, ...copy } = (await ArticleModel.collection.findOne({ slug }))!;
    await ArticleModel.collection.insertOne({ ...copy, _id: new Types.ObjectId(), slug: 'written-around', author: writerId });
    await TagModel.collection.updateOne({ _id: 'nothing-left' as never }, { $set: { count: 5 } }, { upsert: true });
    expect(await countOf('/api/articles?tag=recounted')).toBe(1);
    expect(await countOf(`/api/articles?author=${writer.username}`)).toBe(1);
    expect((await api.http().get('/api/tags').expect(200)).body.tags).toContain('nothing-left');

    const recounted = await recountArticles();
    expect(recounted.tags).toBeGreaterThanOrEqual(1);
    expect(recounted.authors).toBeGreaterThanOrEqual(1);
    await api.http().post('/api/articles').set(auth(writer.token)).send({ article: { title: 'After the recount', description: '', body: 'b', tagList: ['recounted'] } }).expect(201);
    expect(await countOf('/api/articles?tag=recounted')).toBe(await ArticleModel.countDocuments({ tagList: 'recounted' }));
    expect(await countOf('/api/articles?tag=recounted')).toBe(3);
    expect(await countOf(`/api/articles?author=${writer.username}`)).toBe(3);
    expect((await api.http().get('/api/tags').expect(200)).body.tags).not.toContain('nothing-left');
  });
});
