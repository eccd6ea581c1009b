import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const post = async (token: string, title: string, body = 'Body') =>
  (await api.http().post('/api/articles').set(auth(token)).send({ article: { title, description: '', body } }).expect(201)).body.article.slug as string;

describe('mute', () => {
  it("hides a muted user's articles, comments and notifications from the muter only", async () => {
    const muter = await registerUser(api);
    const noisy = await registerUser(api);
    const bystander = await registerUser(api);
    const mine = await post(muter.token, 'My quiet post');
    await post(noisy.token, 'Noisy post');
    await api.http().post(`/api/articles/${mine}/comments`).set(auth(noisy.token)).send({ comment: { body: 'noise' } }).expect(200);
    await api.http().post(`/api/profiles/${muter.username}/follow`).set(auth(noisy.token)).expect(200);
    expect((await api.http().get('/api/notifications/unread-count').set(auth(muter.token))).body.unreadCount).toBe(2);

    const muted = await api.http().post(`/api/profiles/${noisy.username}/mute`).set(auth(muter.token)).expect(200);
    expect(muted.body.profile.muted).toBe(true);
    const list = await api.http().get(`/api/articles?author=${noisy.username}`).set(auth(muter.token)).expect(200);
    expect(list.body.articlesCount).toBe(0);
    const comments = await api.http().get(`/api/articles/${mine}/comments`).set(auth(muter.token)).expect(200);
    expect(comments.body.comments).toEqual([]);
    expect((await api.http().get('/api/notifications/unread-count').set(auth(muter.token))).body.unreadCount).toBe(0);

    expect((await api.http().get(`/api/articles?author=${noisy.username}`).set(auth(bystander.token))).body.articlesCount).toBe(1);
    expect((await api.http().get(`/api/articles/${mine}/comments`).set(auth(bystander.token))).body.comments).toHaveLength(1);

    await api.http().delete(`/api/profiles/${noisy.username}/mute`).set(auth(muter.token)).expect(200);
    expect((await api.http().get(`/api/articles?author=${noisy.username}`).set(auth(muter.token))).body.articlesCount).toBe(1);
    await api.http().post(`/api/profiles/${muter.username}/mute`).set(auth(muter.token)).expect(422);
  });

  it('never delivers the vote notification of a muted voter, so unmuting brings none back', async () => {
    const muter = await registerUser(api);
    const [noisy, bystander] = [await registerUser(api), await registerUser(api)];
    const mine = await post(muter.token, 'Voted on while muted');
    await api.http().post(`/api/profiles/${noisy.username}/mute`).set(auth(muter.token)).expect(200);
    api.clock.advance(10_000);
    // Sent together, so both votes are decided, charged and applied in one batch.
    await Promise.all(
      [noisy, bystander].map((voter) => api.http().post(`/api/articles/${mine}/votes`).set(auth(voter.token)).send({ vote: { weight: 10000 } }).expect(200)),
    );
    await api.http().delete(`/api/profiles/${noisy.username}/mute`).set(auth(muter.token)).expect(200);
    const notes = (await api.http().get('/api/notifications').set(auth(muter.token)).expect(200)).body.notifications as { type: string; actor: string | null }[];
    expect(notes.filter((n) => n.type === 'vote').map((n) => n.actor)).toEqual([bystander.username]);
  });
});

describe('reblog', () => {
  it("puts a reblogged article in the reblogger's followers' feeds with rebloggedBy", async () => {
    const writer = await registerUser(api);
    const curator = await registerUser(api);
    const follower = await registerUser(api);
    const slug = await post(writer.token, 'Worth sharing');
    await api.http().post(`/api/profiles/${curator.username}/follow`).set(auth(follower.token)).expect(200);
    expect((await api.http().get('/api/articles/feed').set(auth(follower.token))).body.articlesCount).toBe(0);
    await api.http().post(`/api/articles/${slug}/reblog`).set(auth(curator.token)).expect(200);
    await api.http().post(`/api/articles/${slug}/reblog`).set(auth(curator.token)).expect(200);
    const feed = await api.http().get('/api/articles/feed').set(auth(follower.token)).expect(200);
    expect(feed.body.articlesCount).toBe(1);
    expect(feed.body.articles[0]).toMatchObject({ slug, rebloggedBy: curator.username, author: { username: writer.username } });
    const curatorOwn = await post(curator.token, 'Curator writes too');
    const both = await api.http().get('/api/articles/feed').set(auth(follower.token)).expect(200);
    expect(both.body.articles.map((a: { slug: string }) => a.slug)).toEqual([curatorOwn, slug]);
    expect(both.body.articles[0]).not.toHaveProperty('rebloggedBy');
    await api.http().post(`/api/articles/${curatorOwn}/reblog`).set(auth(curator.token)).expect(422);
    await api.http().delete(`/api/articles/${slug}/reblog`).set(auth(curator.token)).expect(200);
    expect((await api.http().get('/api/articles/feed').set(auth(follower.token))).body.articlesCount).toBe(1);
    const notes = await api.http().get('/api/notifications').set(auth(writer.token)).expect(200);
    expect(notes.body.notifications.map((n: { type: string }) => n.type)).toContain('reblog');
  });
});

describe('notifications', () => {
  it('notifies an author of each vote received from others, not of their own', async () => {
    const author = await registerUser(api);
    const voter = await registerUser(api);
    const slug = await post(author.token, 'Vote on me');
    api.clock.advance(3_000);
    await api.http().post(`/api/articles/${slug}/votes`).set(auth(voter.token)).send({ vote: { weight: 5000 } }).expect(200);
    await api.http().post(`/api/articles/${slug}/votes`).set(auth(author.token)).send({ vote: { weight: 10000 } }).expect(200);
    const notes = (await api.http().get('/api/notifications').set(auth(author.token)).expect(200)).body.notifications;
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ type: 'vote', actor: voter.username, article: { slug }, data: { weight: 5000 }, read: false });
    expect(BigInt(notes[0].data.rshares)).toBeGreaterThan(0n);
    expect((await api.http().get('/api/notifications').set(auth(voter.token)).expect(200)).body.notifications).toEqual([]);
  });

  it('notifies follows, replies and mentions, and keeps a read cursor', async () => {
    const author = await registerUser(api);
    const fan = await registerUser(api);
    const friend = await registerUser(api);
    const slug = await post(author.token, 'Notify me', `Hello @${friend.username}, and @nobody_here`);
    await api.http().post(`/api/profiles/${author.username}/follow`).set(auth(fan.token)).expect(200);
    const comment = await api.http().post(`/api/articles/${slug}/comments`).set(auth(fan.token)).send({ comment: { body: `Nice! cc @${author.username}` } }).expect(200);
    await api.http().post(`/api/articles/${slug}/comments`).set(auth(author.token)).send({ comment: { body: 'Thanks', parentId: comment.body.comment.id } }).expect(200);

    const forFriend = await api.http().get('/api/notifications').set(auth(friend.token)).expect(200);
    expect(forFriend.body.notifications).toHaveLength(1);
    expect(forFriend.body.notifications[0]).toMatchObject({ type: 'mention', actor: author.username, article: { slug }, read: false });

    const forAuthor = await api.http().get('/api/notifications').set(auth(author.token)).expect(200);
    expect(forAuthor.body.notifications.map((n: { type: string }) => n.type).sort()).toEqual(['follow', 'mention', 'reply']);
    const forFan = await api.http().get('/api/notifications').set(auth(fan.token)).expect(200);
    expect(forFan.body.notifications.map((n: { type: string }) => n.type)).toEqual(['reply']);

    const newest = forAuthor.body.notifications[0];
    const oldest = forAuthor.body.notifications[2];
    const partly = await api.http().post('/api/notifications/read').set(auth(author.token)).send({ until: oldest.id }).expect(200);
    expect(partly.body.unreadCount).toBe(2);
    expect((await api.http().get('/api/notifications/unread-count').set(auth(author.token))).body.unreadCount).toBe(2);
    const all = await api.http().post('/api/notifications/read').set(auth(author.token)).send({ until: newest.id }).expect(200);
    expect(all.body.unreadCount).toBe(0);
    const backwards = await api.http().post('/api/notifications/read').set(auth(author.token)).send({ until: oldest.id }).expect(200);
    expect(backwards.body.unreadCount).toBe(0);
    const listed = await api.http().get('/api/notifications').set(auth(author.token)).expect(200);
    expect(listed.body.notifications.every((n: { read: boolean }) => n.read)).toBe(true);

    const byTime = await api.http().post('/api/notifications/read').set(auth(friend.token)).send({ until: new Date(Date.now() + 1000).toISOString() }).expect(200);
    expect(byTime.body.unreadCount).toBe(0);
    await api.http().post('/api/notifications/read').set(auth(friend.token)).send({ until: 'yesterday' }).expect(422);
    await api.http().post('/api/notifications/read').set(auth(friend.token)).send({ until: newest.id }).expect(404);
    await api.http().get('/api/notifications').expect(401);
  });
});
