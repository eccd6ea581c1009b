import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

/*
 * Comments earn like posts (on Steem a reply is a post): votes on comments go through the same vote
 * engine as article votes (rules, mana, rshares, curation weights, errors), and comments carry their
 * own tallies, payout moment and pending payout.
 */

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  await api.http().get('/api/rewards/fund').expect(200); // the fund starts accruing now
  api.clock.advance(24 * 3600_000);
});
afterAll(() => api.close());

const FULL_VOTE_RSHARES = 19_950_000_000n;
const BASE_STAKE = 1_000_000_000_000n;

async function publish(token: string, title: string): Promise<string> {
  const { body } = await api.http().post('/api/articles').set(auth(token)).send({ article: { title, description: '', body: 'text' } }).expect(201);
  return body.article.slug as string;
}

async function comment(token: string, slug: string, body = 'a reply', parentId?: number): Promise<{ id: number; payoutAt: string; createdAt: string }> {
  const { body: answer } = await api.http().post(`/api/articles/${slug}/comments`).set(auth(token)).send({ comment: { body, ...(parentId ? { parentId } : {}) } }).expect(200);
  return answer.comment;
}

const voteArticle = (token: string, slug: string, weight: number) => api.http().post(`/api/articles/${slug}/votes`).set(auth(token)).send({ vote: { weight } });
const voteComment = (token: string, slug: string, id: number, weight: number) => api.http().post(`/api/articles/${slug}/comments/${id}/votes`).set(auth(token)).send({ vote: { weight } });

async function commentsOf(slug: string, token?: string) {
  const request = api.http().get(`/api/articles/${slug}/comments`);
  return (await (token ? request.set(auth(token)) : request).expect(200)).body.comments as Record<string, unknown>[];
}

describe('comment votes', () => {
  it('gives a comment vote the rshares and mana cost of an article vote for the same voter state', async () => {
    const author = await registerUser(api);
    const [onArticle, onComment] = [await registerUser(api), await registerUser(api)];
    const slug = await publish(author.token, 'An article with a reply');
    const commentedAt = api.clock.now().getTime();
    const reply = await comment(author.token, slug);
    api.clock.advance(10_000);

    // Two voters in the same state (the same stake, full mana), at the same moment, with the same weight.
    const previewArticle = (await api.http().get(`/api/articles/${slug}/votes/preview?weight=7500`).set(auth(onArticle.token)).expect(200)).body;
    const previewComment = (await api.http().get(`/api/articles/${slug}/comments/${reply.id}/votes/preview?weight=7500`).set(auth(onComment.token)).expect(200)).body;
    expect(previewComment.rshares).toBe(previewArticle.rshares);
    const [a, c] = await Promise.all([voteArticle(onArticle.token, slug, 7500).expect(200), voteComment(onComment.token, slug, reply.id, 7500).expect(200)]);
    expect(c.body.vote).toEqual({ ...a.body.vote, voter: onComment.username });
    expect(c.body.vote.rshares).toBe('14950000000'); // 75 % of 2 % of the stake, less the vote dust (as an article vote)
    expect(c.body.vote.rshares).toBe(previewComment.rshares);

    const manaOf = async (token: string) => (await api.http().get('/api/user/mana').set(auth(token)).expect(200)).body;
    expect(await manaOf(onComment.token)).toEqual(await manaOf(onArticle.token));
    expect((await manaOf(onComment.token)).votingMana.current).toBe((BASE_STAKE - 15_000_000_000n).toString());

    // The comment as the answer shows it: its tallies, its own payout moment, a pending payout like the article's.
    expect(c.body.comment).toMatchObject({ id: reply.id, netRshares: c.body.vote.rshares, upvotes: 1, downvotes: 0, paid: false, payout: null, payoutAt: reply.payoutAt });
    expect(c.body.comment.pendingPayout).toEqual(a.body.article.pendingPayout);
    expect(new Date(reply.payoutAt).getTime() - commentedAt).toBe(api.services.policy.payoutWindowSeconds * 1000);
    // The article is not touched by the comment's vote (and favorites stay the article's).
    expect(a.body.article).toMatchObject({ netRshares: c.body.vote.rshares, upvotes: 1, favoritesCount: 1 });
    const article = (await api.http().get(`/api/articles/${slug}`).expect(200)).body.article;
    expect(article).toMatchObject({ netRshares: c.body.vote.rshares, upvotes: 1, favoritesCount: 1 });

    const [listed] = await commentsOf(slug);
    expect(listed).toMatchObject({ id: reply.id, netRshares: c.body.vote.rshares, upvotes: 1, downvotes: 0, payoutAt: reply.payoutAt, pendingPayout: c.body.comment.pendingPayout });
    const votes = (await api.http().get(`/api/articles/${slug}/comments/${reply.id}/votes`).expect(200)).body;
    expect(votes).toMatchObject({ votesCount: 1, votes: [{ voter: onComment.username, weight: 7500, rshares: c.body.vote.rshares }] });
    expect((await api.http().get(`/api/articles/${slug}/votes`).expect(200)).body.votes.map((v: { voter: string }) => v.voter)).toEqual([onArticle.username]);
  });

  it('applies the same rules and errors as article votes, across articles and comments (one voter state)', async () => {
    const author = await registerUser(api);
    const voter = await registerUser(api);
    const slug = await publish(author.token, 'Rules for replies');
    const reply = await comment(author.token, slug);
    const expectRule = async (request: ReturnType<typeof voteComment>, rule: string) => {
      const response = await request;
      expect(response.status).toBe(422);
      expect(response.body.fields.vote[0]).toContain(rule);
    };
    await expectRule(voteComment(voter.token, slug, reply.id, 0), 'VOTE_WEIGHT_ZERO');
    await voteArticle(voter.token, slug, 5000).expect(200);
    // The 3-second rule is the voter's, whatever the post item: a comment vote right after an article vote waits.
    await expectRule(voteComment(voter.token, slug, reply.id, 5000), 'VOTE_TOO_SOON');
    api.clock.advance(3000);
    await voteComment(voter.token, slug, reply.id, 5000).expect(200);
    api.clock.advance(3000);
    await expectRule(voteComment(voter.token, slug, reply.id, 5000), 'VOTE_IDENTICAL');
    for (const weight of [6000, 7000, 8000, 9000, 2000]) {
      api.clock.advance(3000);
      await voteComment(voter.token, slug, reply.id, weight).expect(200);
    }
    api.clock.advance(3000);
    await expectRule(voteComment(voter.token, slug, reply.id, 3000), 'VOTE_CHANGES_EXHAUSTED');

    await voteComment(voter.token, slug, 999_999, 5000).expect(404);
    await voteComment(voter.token, 'no-such-article', reply.id, 5000).expect(404);
    await api.http().post(`/api/articles/${slug}/comments/${reply.id}/votes`).send({ vote: { weight: 5000 } }).expect(401);
    const tooHeavy = await voteComment(voter.token, slug, reply.id, 10001).expect(422);
    expect(tooHeavy.body.errors.body.join(' ')).toMatch(/weight/);
    await api.http().get(`/api/articles/${slug}/comments/${reply.id}/votes/preview?weight=5000`).expect(401);

    // A comment on another article is not found through this one.
    const other = await publish(author.token, 'Another article');
    const elsewhere = await comment(author.token, other);
    await voteComment(voter.token, slug, elsewhere.id, 5000).expect(404);
    // After a title change, the old slug still names the article, and its comments.
    const renamed = (await api.http().put(`/api/articles/${other}`).set(auth(author.token)).send({ article: { title: 'Renamed article' } }).expect(200)).body.article.slug as string;
    api.clock.advance(3000);
    await voteComment(voter.token, other, elsewhere.id, 5000).expect(200);
    api.clock.advance(3000);
    const again = await voteComment(voter.token, renamed, elsewhere.id, 6000).expect(200);
    expect(again.body.vote).toMatchObject({ weight: 6000, changes: 1 });
  });

  it('refuses a vote after the comment’s own payout moment, whatever the article’s', async () => {
    const author = await registerUser(api);
    const voter = await registerUser(api);
    const slug = await publish(author.token, 'Early article');
    api.clock.advance((api.services.policy.payoutWindowSeconds - 60) * 1000);
    const late = await comment(author.token, slug, 'a late reply');
    api.clock.advance(120_000);
    const onArticle = await voteArticle(voter.token, slug, 5000);
    expect(onArticle.status).toBe(422);
    expect(onArticle.body.fields.vote[0]).toContain('VOTE_AFTER_PAYOUT');
    api.clock.advance(3000);
    await voteComment(voter.token, slug, late.id, 5000).expect(200);
    api.clock.advance(api.services.policy.payoutWindowSeconds * 1000);
    const afterItsOwn = await voteComment(voter.token, slug, late.id, 10000);
    expect(afterItsOwn.status).toBe(422);
    expect(afterItsOwn.body.fields.vote[0]).toContain('VOTE_AFTER_PAYOUT');
  });

  it('moves the comment author’s reputation and notifies them, naming the article and the comment', async () => {
    const author = await registerUser(api);
    const replier = await registerUser(api);
    const voter = await registerUser(api);
    const slug = await publish(author.token, 'Reputation of replies');
    const reply = await comment(replier.token, slug);
    const before = (await api.http().get(`/api/profiles/${replier.username}`).expect(200)).body.profile.reputation;
    expect(before).toBe('0');
    await voteComment(voter.token, slug, reply.id, 10000).expect(200);
    const profile = (await api.http().get(`/api/profiles/${replier.username}`).expect(200)).body.profile;
    expect(profile.reputation).toBe((FULL_VOTE_RSHARES >> 6n).toString());
    const articleAuthor = (await api.http().get(`/api/profiles/${author.username}`).expect(200)).body.profile;
    expect(articleAuthor.reputation).toBe('0');
    const { body } = await api.http().get('/api/notifications').set(auth(replier.token)).expect(200);
    const votes = body.notifications.filter((n: { type: string }) => n.type === 'vote');
    expect(votes).toHaveLength(1);
    expect(votes[0]).toMatchObject({ article: { slug }, commentId: reply.id });
  });

  it('keeps comment and article tallies exact with many concurrent voters on both', async () => {
    const author = await registerUser(api);
    const slug = await publish(author.token, 'Busy thread');
    const replies = [await comment(author.token, slug, 'first'), await comment(author.token, slug, 'second')];
    const voters = await Promise.all(Array.from({ length: 12 }, () => registerUser(api)));
    api.clock.advance(10_000);
    // Half the votes on comments, half on the article, all at once: they share batches.
    await Promise.all(
      voters.map((voter, i) => (i % 2 === 0 ? voteArticle(voter.token, slug, 10000) : voteComment(voter.token, slug, replies[(i >> 1) % 2]!.id, i % 4 === 1 ? 10000 : -10000)).expect(200)),
    );
    const article = (await api.http().get(`/api/articles/${slug}`).expect(200)).body.article;
    expect(article).toMatchObject({ upvotes: 6, downvotes: 0, netRshares: (6n * FULL_VOTE_RSHARES).toString(), favoritesCount: 6 });
    const listed = await commentsOf(slug);
    const byId = new Map(listed.map((c) => [c.id, c]));
    // Odd voters 1, 5, 9 upvote the first reply; 3, 7, 11 downvote the second.
    expect(byId.get(replies[0]!.id)).toMatchObject({ upvotes: 3, downvotes: 0, netRshares: (3n * FULL_VOTE_RSHARES).toString() });
    expect(byId.get(replies[1]!.id)).toMatchObject({ upvotes: 0, downvotes: 3, netRshares: (-3n * FULL_VOTE_RSHARES).toString(), pendingPayout: { total: '0.000 STEEM' } });
    const recorded = (await api.http().get(`/api/articles/${slug}/comments/${replies[0]!.id}/votes`).expect(200)).body;
    expect(recorded.votesCount).toBe(3);
  });

  it('refuses to delete a comment with positive votes before its payout (409), as for articles', async () => {
    const author = await registerUser(api);
    const voter = await registerUser(api);
    const slug = await publish(author.token, 'Deleting replies');
    const [liked, disliked, plain] = [await comment(author.token, slug, 'liked'), await comment(author.token, slug, 'disliked'), await comment(author.token, slug, 'plain')];
    await voteComment(voter.token, slug, liked.id, 10000).expect(200);
    api.clock.advance(3000);
    await voteComment(voter.token, slug, disliked.id, -10000).expect(200);
    const refused = await api.http().delete(`/api/articles/${slug}/comments/${liked.id}`).set(auth(author.token)).expect(409);
    expect(refused.body.errors.body[0]).toMatch(/positive votes/);
    // … and the article with it cannot go either.
    await api.http().delete(`/api/articles/${slug}`).set(auth(author.token)).expect(409);
    await api.http().delete(`/api/articles/${slug}/comments/${disliked.id}`).set(auth(author.token)).expect(204);
    await api.http().delete(`/api/articles/${slug}/comments/${plain.id}`).set(auth(author.token)).expect(204);
    await api.http().get(`/api/articles/${slug}/comments/${disliked.id}/votes`).expect(404);
    // A deleted comment is not found by a vote either, even by a voter whose process remembered it.
    api.clock.advance(3000);
    await voteComment(voter.token, slug, disliked.id, 5000).expect(404);
    // Withdrawn, the vote no longer protects it.
    api.clock.advance(3000);
    await voteComment(voter.token, slug, liked.id, 0).expect(200);
    await api.http().delete(`/api/articles/${slug}/comments/${liked.id}`).set(auth(author.token)).expect(204);
    expect(await commentsOf(slug)).toEqual([]);
  });

  it('rolls a charged comment vote forward once after a crash (the sweep), as an article vote', async () => {
    const { UserModel } = await import('../../models/user');
    const { CommentModel } = await import('../../models/comment');
    const { VoteModel } = await import('../../models/vote');
    const { applyStalePendingVotes } = await import('../../commands/votes/pendingVote');
    const author = await registerUser(api);
    const voter = await registerUser(api);
    const slug = await publish(author.token, 'Interrupted comment vote');
    const reply = await comment(author.token, slug);
    const stored = (await CommentModel.findOne({ id: reply.id }).lean())!;
    const voterId = (await UserModel.findOne({ usernameKey: voter.username.toLowerCase() }, { _id: 1 }).lean())!._id;
    const votedAt = Math.floor(api.clock.now().getTime() / 1000);
    // The state a crash leaves after the voter was charged and before the vote was applied.
    const pendingVote = {
      id: 'crashed-comment-vote', article: stored._id.toString(), comment: { id: reply.id, article: stored.article.toString() }, voter: voterId.toString(), author: stored.author.toString(),
      kind: 'new', weight: 10000, rshares: FULL_VOTE_RSHARES.toString(), changes: 0, votedAt, oldRshares: null, oldWeight: 0, oldCurationWeight: '0',
      eligibleForCuration: true, secondsSinceCreated: 600, favorite: false, oldFavorite: false, favoriteRefusal: null,
    };
    await UserModel.updateOne({ _id: voterId }, { $set: { votingMana: { current: (BASE_STAKE - 20_000_000_000n).toString(), lastUpdate: votedAt }, lastVoteTime: votedAt, pendingVote } });
    expect(await applyStalePendingVotes(api.services.policy, votedAt + 31)).toBe(1);
    expect(await applyStalePendingVotes(api.services.policy, votedAt + 31)).toBe(0);
    const [listed] = await commentsOf(slug);
    expect(listed).toMatchObject({ netRshares: FULL_VOTE_RSHARES.toString(), upvotes: 1 });
    const record = await VoteModel.findOne({ article: stored._id, voter: voterId }).lean();
    expect(record).toMatchObject({ weight: 10000, favorite: false, comment: { id: reply.id, article: stored.article } });
    expect(Number(record!.curationWeight)).toBeGreaterThan(0);
    const article = (await api.http().get(`/api/articles/${slug}`).expect(200)).body.article;
    expect(article).toMatchObject({ netRshares: '0', upvotes: 0, favoritesCount: 0 });
    expect((await api.http().get(`/api/profiles/${author.username}`).expect(200)).body.profile.reputation).toBe((FULL_VOTE_RSHARES >> 6n).toString());
  });

  it('shows a comment’s payout receipt as pending until it is settled', async () => {
    const author = await registerUser(api);
    const slug = await publish(author.token, 'Receipts for replies');
    const reply = await comment(author.token, slug);
    const { body } = await api.http().get(`/api/articles/${slug}/comments/${reply.id}/payout`).expect(200);
    expect(body.payout).toEqual({ article: slug, comment: reply.id, status: 'pending', payoutAt: reply.payoutAt, settlement: null, shares: [], transactions: [] });
    await api.http().get(`/api/articles/${slug}/comments/999999/payout`).expect(404);
  });
});
