import { ArticleModel } from '../../models/article';
import { BadgeModel } from '../../models/badge';
import { createLogger } from '../../lib/logger';
import { BadgeProcessor } from '../../workers/badges/badgeProcessor';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

let api: TestApi;
let processor: BadgeProcessor;
beforeAll(async () => {
  api = await startTestApi();
  processor = new BadgeProcessor(api.clock, createLogger('silent'));
});
afterAll(() => api.close());

const publish = async (token: string, title: string) =>
  (await api.http().post('/api/articles').set(auth(token)).send({ article: { title, description: '', body: 'b' } }).expect(201)).body.article.slug as string;
const vote = (token: string, slug: string, weight: number) => api.http().post(`/api/articles/${slug}/votes`).set(auth(token)).send({ vote: { weight } });
const badgesOf = async (username: string) => ((await api.http().get(`/api/profiles/${username}/badges`).expect(200)).body.badges as { name: string }[]).map((b) => b.name);
const drain = async () => {
  while ((await processor.tick()) > 0);
};

describe('badges and streaks', () => {
  it('awards nothing for unvoted or downvoted posts (anti-farming)', async () => {
    const author = await registerUser(api);
    const critic = await registerUser(api);
    await publish(author.token, 'Nobody votes');
    const panned = await publish(author.token, 'Downvoted');
    api.clock.advance(10_000);
    await vote(critic.token, panned, -10000).expect(200);
    await drain();
    expect(await badgesOf(author.username)).toEqual([]);
    const profile = (await api.http().get(`/api/profiles/${author.username}`).expect(200)).body.profile;
    expect(profile.streaks).toEqual({ currentWeeks: 0, longestWeeks: 0 });
  });

  it('awards first post, 10 upvotes, once each, with a notification', async () => {
    const author = await registerUser(api);
    const voters = await Promise.all(Array.from({ length: 10 }, () => registerUser(api)));
    const slug = await publish(author.token, 'Well liked');
    api.clock.advance(10_000);
    await vote(voters[0]!.token, slug, 10000).expect(200);
    await drain();
    expect(await badgesOf(author.username)).toEqual(['first-post']);
    await Promise.all(voters.slice(1).map((v) => vote(v.token, slug, 10000).expect(200)));
    await drain();
    await drain();
    expect(await badgesOf(author.username)).toEqual(['first-post', 'upvotes-10']);
    expect(await BadgeModel.countDocuments({ badge: 'first-post' , user: (await ArticleModel.findOne({ slug }).lean())!.author })).toBe(1);
    const notes = (await api.http().get('/api/notifications').set(auth(author.token)).expect(200)).body.notifications as { type: string; data: { badge?: string } }[];
    expect(notes.filter((n) => n.type === 'badge').map((n) => n.data.badge).sort()).toEqual(['first-post', 'upvotes-10']);
  });

  it('counts upvotes on an author’s comments by the same rules (comments earn like posts)', async () => {
    const author = await registerUser(api);
    const host = await registerUser(api);
    const voters = await Promise.all(Array.from({ length: 10 }, () => registerUser(api)));
    const slug = await publish(author.token, 'Half the upvotes');
    const elsewhere = await publish(host.token, 'Where the author replies');
    const replies: number[] = [];
    for (const body of ['first reply', 'second reply']) {
      replies.push((await api.http().post(`/api/articles/${elsewhere}/comments`).set(auth(author.token)).send({ comment: { body } }).expect(200)).body.comment.id as number);
    }
    api.clock.advance(10_000);
    const voteComment = (token: string, id: number) => api.http().post(`/api/articles/${elsewhere}/comments/${id}/votes`).set(auth(token)).send({ vote: { weight: 10000 } });
    await Promise.all(voters.slice(0, 5).map((v) => vote(v.token, slug, 10000).expect(200)));
    // One voter on both replies counts once that day; the author's self-vote on a reply counts nothing.
    await voteComment(voters[5]!.token, replies[0]!).expect(200);
    api.clock.advance(3000);
    await voteComment(voters[5]!.token, replies[1]!).expect(200);
    await voteComment(author.token, replies[0]!).expect(200);
    await Promise.all(voters.slice(6, 9).map((v) => voteComment(v.token, replies[1]!).expect(200)));
    await drain();
    await drain();
    expect(await badgesOf(author.username)).toEqual(['first-post']); // 9 net upvotes from others
    await voteComment(voters[9]!.token, replies[0]!).expect(200);
    await drain();
    await drain();
    expect(await badgesOf(author.username)).toEqual(['first-post', 'upvotes-10']);
  });

  it('does not let one voter or the author farm the upvote badges', async () => {
    const author = await registerUser(api);
    const fan = await registerUser(api);
    const slugs: string[] = [];
    for (let i = 0; i < 10; i += 1) slugs.push(await publish(author.token, `Farmed ${i}`));
    api.clock.advance(10_000);
    for (const slug of slugs) {
      await vote(fan.token, slug, 10000).expect(200);
      await vote(author.token, slug, 10000).expect(200);
      api.clock.advance(3_000); // a voter may vote once every 3 s
    }
    await drain();
    // Ten posts with positive rshares and twenty upvotes, but one voter in one day and self-votes: one net upvote.
    expect(await ArticleModel.countDocuments({ slug: { $in: slugs }, favoritesCount: 2 })).toBe(10);
    expect(await badgesOf(author.username)).toEqual(['first-post']);
    const reason = ((await api.http().get(`/api/profiles/${author.username}/badges`).expect(200)).body.badges as { reason: string }[])[0]!.reason;
    expect(reason).toBe('a post of yours earned positive votes');
  });

  it('counts weekly posting streaks of voted posts and awards the 2-week badge', async () => {
    const author = await registerUser(api);
    const voter = await registerUser(api);
    const lastWeek = await publish(author.token, 'Last week');
    api.clock.advance(3_000);
    const thisWeek = await publish(author.token, 'This week');
    api.clock.advance(10_000);
    await vote(voter.token, lastWeek, 10000).expect(200);
    api.clock.advance(3_000);
    await vote(voter.token, thisWeek, 10000).expect(200);
    // Backdate the first post by a week (createdAt is immutable through mongoose).
    await ArticleModel.collection.updateOne({ slug: lastWeek }, { $set: { createdAt: new Date(api.clock.now().getTime() - 7 * 24 * 3600 * 1000) } });
    await drain();
    const profile = (await api.http().get(`/api/profiles/${author.username}`).expect(200)).body.profile;
    expect(profile.streaks).toEqual({ currentWeeks: 2, longestWeeks: 2 });
    await publish(author.token, 'Trigger re-evaluation');
    await drain();
    expect(await badgesOf(author.username)).toContain('streak-2-weeks');
  });
});

describe('leaderboards', () => {
  it('ranks authors by reputation gained this period (rising), cached per period', async () => {
    const big = await registerUser(api);
    const small = await registerUser(api);
    const voters = await Promise.all(Array.from({ length: 3 }, () => registerUser(api)));
    const bigPost = await publish(big.token, 'Rising big');
    const smallPost = await publish(small.token, 'Rising small');
    api.clock.advance(10_000);
    for (const v of voters) await vote(v.token, bigPost, 10000).expect(200);
    api.clock.advance(3_000);
    await vote(voters[0]!.token, smallPost, 10000).expect(200);
    const board = (await api.http().get('/api/leaderboards/rising?period=day').expect(200)).body;
    const names = board.entries.map((e: { username: string }) => e.username);
    expect(names.indexOf(big.username)).toBeLessThan(names.indexOf(small.username));
    const bigEntry = board.entries.find((e: { username: string }) => e.username === big.username);
    expect(bigEntry.value).toBe(((19_950_000_000n >> 6n) * 3n).toString());
    await api.http().get('/api/leaderboards/rising?period=year').expect(422);
    await api.http().get('/api/leaderboards/nonsense').expect(404);
  });
});
