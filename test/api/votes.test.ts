import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  await api.http().get('/api/rewards/fund').expect(200); // the fund starts accruing now
});
afterAll(() => api.close());

const FULL_VOTE_RSHARES = 19_950_000_000n;
const BASE_STAKE = 1_000_000_000_000n;

/** The formulas of docs/rewards.md, written out independently of domain/. */
const f = (r: bigint) => (r <= 0n ? 0n : (r * (r + 4_000_000_000_000n)) / (r + 8_000_000_000_000n));
const INITIAL_CLAIMS = 1500n * f(FULL_VOTE_RSHARES);

async function publish(token: string, title: string, extra: Record<string, unknown> = {}): Promise<string> {
  const { body } = await api.http().post('/api/articles').set(auth(token)).send({ article: { title, description: '', body: 'text', ...extra } }).expect(201);
  return body.article.slug as string;
}

const vote = (token: string, slug: string, weight: number) => api.http().post(`/api/articles/${slug}/votes`).set(auth(token)).send({ vote: { weight } });

async function userIdOf(username: string) {
  const { UserModel } = await import('../../models/user');
  return (await UserModel.findOne({ usernameKey: username.toLowerCase() }, { _id: 1 }).lean())!._id;
}

/** A full new upvote as it stands charged and pending on its voter. */
function pendingFullVote(fields: { id: string; article: { _id: { toString(): string }; author: { toString(): string } }; voter: { toString(): string }; votedAt: number; secondsSinceCreated: number }) {
  return {
    id: fields.id, article: fields.article._id.toString(), voter: fields.voter.toString(), author: fields.article.author.toString(), kind: 'new' as const,
    weight: 10000, rshares: FULL_VOTE_RSHARES.toString(), changes: 0, votedAt: fields.votedAt, oldRshares: null, oldWeight: 0, oldCurationWeight: '0',
    eligibleForCuration: true, secondsSinceCreated: fields.secondsSinceCreated,
  };
}

/** A post's fields as the vote batch reads them. */
async function batchPostRead(slug: string) {
  const { ArticleModel } = await import('../../models/article');
  const { BATCH_POST_PROJECTION } = await import('../../commands/votes/reads');
  return (await ArticleModel.findOne({ slug }, BATCH_POST_PROJECTION).lean())!;
}

/** A full new upvote left charged and pending on its voter, as a batch's charge step leaves it. */
async function chargedFullVote(id: string, username: string, article: Awaited<ReturnType<typeof batchPostRead>>, votedAt: number) {
  const { UserModel } = await import('../../models/user');
  const pending = pendingFullVote({ id, article, voter: await userIdOf(username), votedAt, secondsSinceCreated: 10 });
  await UserModel.updateOne({ _id: pending.voter }, { $set: { pendingVote: pending } });
  return pending;
}

describe('votes', () => {
  it('casts a full vote worth 19.95e9 rshares and 2 % of the voter’s mana', async () => {
    const author = await registerUser(api);
    const voter = await registerUser(api);
    const slug = await publish(author.token, 'Worth a vote');
    api.clock.advance(10_000);
    const response = await vote(voter.token, slug, 10000).expect(200);
    expect(response.body.vote).toMatchObject({ voter: voter.username, weight: 10000, rshares: FULL_VOTE_RSHARES.toString(), changes: 0 });
    expect(response.body.article).toMatchObject({ netRshares: FULL_VOTE_RSHARES.toString(), upvotes: 1, downvotes: 0, favoritesCount: 1, favorited: true });
    const mana = await api.http().get('/api/user/mana').set(auth(voter.token)).expect(200);
    expect(mana.body).toEqual({
      stake: '1000000.000000 VESTS',
      votingMana: { current: (BASE_STAKE - 20_000_000_000n).toString(), max: BASE_STAKE.toString(), percent: 98 },
      downvoteMana: { current: (BASE_STAKE / 4n).toString(), max: (BASE_STAKE / 4n).toString(), percent: 100 },
    });
    const listed = await api.http().get(`/api/articles/${slug}/votes`).expect(200);
    expect(listed.body).toMatchObject({ votesCount: 1, votes: [{ voter: voter.username, weight: 10000, rshares: FULL_VOTE_RSHARES.toString() }] });
    const profile = await api.http().get(`/api/profiles/${author.username}`).expect(200);
    expect(profile.body.profile).toMatchObject({ reputation: (FULL_VOTE_RSHARES >> 6n).toString(), reputationScore: 25 });
  });

  it('answers each vote with the article as a read right after it shows it to the voter', async () => {
    const author = await registerUser(api);
    const [follower, other] = [await registerUser(api), await registerUser(api)];
    await api.http().post(`/api/profiles/${author.username}/follow`).set(auth(follower.token)).expect(200);
    const slug = await publish(author.token, 'Read after the vote');
    const steps: [typeof follower, number][] = [[follower, 10000], [other, -5000], [follower, 2500], [other, 0]];
    api.clock.advance(24 * 3600_000); // the fund accrues a day's rewards: the answer's pending payout must use the fund as it is now
    for (const [voter, weight] of steps) {
      api.clock.advance(4_000);
      const { body } = await vote(voter.token, slug, weight).expect(200);
      const read = await api.http().get(`/api/articles/${slug}`).set(auth(voter.token)).expect(200);
      expect(body.article).toEqual(read.body.article);
    }
    const { body } = await api.http().get(`/api/articles/${slug}`).set(auth(follower.token)).expect(200);
    expect(body.article).toMatchObject({ favorited: true, upvotes: 1, downvotes: 0, author: { following: true } });
  });

  it('votes on the article a slug names: after a title change, when a later article has the old title (it gets another slug), and not once deleted', async () => {
    const author = await registerUser(api);
    const voters = [await registerUser(api), await registerUser(api), await registerUser(api), await registerUser(api)];
    const first = await publish(author.token, 'Moving target');
    await vote(voters[0]!.token, first, 10000).expect(200);

    const renamed = (await api.http().put(`/api/articles/${first}`).set(auth(author.token)).send({ article: { title: 'Moved target' } }).expect(200)).body.article.slug as string;
    const byOldSlug = await vote(voters[1]!.token, first, 10000).expect(200);
    expect(byOldSlug.body.article).toMatchObject({ slug: renamed, favoritesCount: 2 });

    // The old slug stays the first article's for good: a later article with the title gets another one.
    const newcomer = await publish(author.token, 'Moving target');
    expect(newcomer).toMatch(new RegExp(`^${first}-[0-9a-f]{8}$`));
    const stillFirst = await vote(voters[2]!.token, first, 10000).expect(200);
    expect(stillFirst.body.article).toMatchObject({ slug: renamed, favoritesCount: 3 });
    const onNewcomer = await vote(voters[3]!.token, newcomer, 10000).expect(200);
    expect(onNewcomer.body.article).toMatchObject({ slug: newcomer, title: 'Moving target', favoritesCount: 1 });
    expect((await api.http().get(`/api/articles/${renamed}`).expect(200)).body.article.favoritesCount).toBe(3);

    const shortLived = await publish(author.token, 'Short lived');
    api.clock.advance(4_000);
    await vote(voters[0]!.token, shortLived, 10000).expect(200);
    await vote(voters[0]!.token, shortLived, 0).expect(200);
    await api.http().delete(`/api/articles/${shortLived}`).set(auth(author.token)).expect(204);
    api.clock.advance(4_000);
    await vote(voters[1]!.token, shortLived, 10000).expect(404);
  });

  it('refuses each rule with a 422 naming it', async () => {
    const author = await registerUser(api);
    const voter = await registerUser(api);
    const first = await publish(author.token, 'Rules one');
    const second = await publish(author.token, 'Rules two');
    const locked = await publish(author.token, 'No votes please', { allowVotes: false });
    const expectRule = async (request: ReturnType<typeof vote>, rule: string) => {
      const response = await request;
      expect(response.status).toBe(422);
      expect(response.body.fields.vote[0]).toContain(rule);
    };
    await expectRule(vote(voter.token, first, 0), 'VOTE_WEIGHT_ZERO');
    await vote(voter.token, first, 5000).expect(200);
    await expectRule(vote(voter.token, second, 5000), 'VOTE_TOO_SOON');
    await vote(voter.token, first, 0).expect(200); // removing is always allowed
    api.clock.advance(3000);
    await vote(voter.token, second, 5000).expect(200);
    api.clock.advance(3000);
    await expectRule(vote(voter.token, second, 5000), 'VOTE_IDENTICAL');
    await expectRule(vote(voter.token, locked, 10000), 'VOTES_NOT_ALLOWED');
    for (const weight of [6000, 7000, 8000, 9000, 2000]) {
      api.clock.advance(3000);
      await vote(voter.token, second, weight).expect(200);
    }
    api.clock.advance(3000);
    await expectRule(vote(voter.token, second, 1000), 'VOTE_CHANGES_EXHAUSTED');
    await api.http().post(`/api/articles/${first}/votes`).set(auth(voter.token)).send({ vote: { weight: 10001 } }).expect(422);
    await api.http().post(`/api/articles/${first}/votes`).send({ vote: { weight: 100 } }).expect(401);
  });

  it('refuses a vote without a valid token, or from a user that no longer exists, with 401, and lands the others of its batch', async () => {
    const { UserModel } = await import('../../models/user');
    const author = await registerUser(api);
    const [gone, stays] = [await registerUser(api), await registerUser(api)];
    const slug = await publish(author.token, 'Voted on by the departed');
    api.clock.advance(10_000);
    for (const header of ['Token not.a.jwt', 'Basic abc', `Token ${gone.token}x`]) {
      const response = await api.http().post(`/api/articles/${slug}/votes`).set('Authorization', header).send({ vote: { weight: 100 } });
      expect(response.status).toBe(401);
      expect(response.body.fields.token).toBeDefined();
    }
    await UserModel.deleteOne({ _id: await userIdOf(gone.username) });
    // Sent together with a valid vote, so the departed voter is refused inside a batch that lands the other.
    const [refused, counted] = await Promise.all([vote(gone.token, slug, 10000), vote(stays.token, slug, 10000)]);
    expect(refused.status).toBe(401);
    expect(refused.body.fields.token).toEqual(['token names a user that no longer exists']);
    expect(counted.status).toBe(200);
    expect(counted.body.vote.voter).toBe(stays.username);
    expect(counted.body.article).toMatchObject({ upvotes: 1, netRshares: FULL_VOTE_RSHARES.toString() });
  });

  it('shows a pending payout equal to an independent computation from the fund', async () => {
    const author = await registerUser(api);
    const voter = await registerUser(api);
    const slug = await publish(author.token, 'Pays out', { beneficiaries: [{ account: 'charity', weight: 1000 }] });
    api.clock.advance(60_000);
    await vote(voter.token, slug, 10000).expect(200);
    const fund = (await api.http().get('/api/rewards/fund').expect(200)).body;
    const balance = BigInt(fund.rewardBalance.replace('.', '').replace(' STEEM', ''));
    const claims = BigInt(fund.recentClaims);
    expect(claims).toBeLessThanOrEqual(INITIAL_CLAIMS);
    expect(claims).toBeGreaterThan(INITIAL_CLAIMS - INITIAL_CLAIMS / 10n);
    const total = (balance * f(FULL_VOTE_RSHARES)) / claims;
    const curators = total / 2n;
    const beneficiaries = ((total - curators) * 1000n) / 10000n;
    const steem = (units: bigint) => `${units / 1000n}.${(units % 1000n).toString().padStart(3, '0')} STEEM`;
    const article = (await api.http().get(`/api/articles/${slug}`).expect(200)).body.article;
    expect(article.pendingPayout).toEqual({ isEstimate: true, total: steem(total), curators: steem(curators), beneficiaries: steem(beneficiaries), author: steem(total - curators - beneficiaries) });
    expect(article.beneficiaries).toEqual([{ account: 'charity', weight: 1000 }]);
  });

  it('previews a vote with the rshares it will really add', async () => {
    const author = await registerUser(api);
    const voter = await registerUser(api);
    const slug = await publish(author.token, 'Preview me');
    api.clock.advance(400_000);
    const preview = await api.http().get(`/api/articles/${slug}/votes/preview?weight=5000`).set(auth(voter.token)).expect(200);
    const cast = await vote(voter.token, slug, 5000).expect(200);
    expect(preview.body.rshares).toBe(cast.body.vote.rshares);
    expect(preview.body.curationEstimate).toMatch(/^\d+\.\d{3} STEEM$/);
    await api.http().get(`/api/articles/${slug}/votes/preview?weight=abc`).set(auth(voter.token)).expect(422);
  });

  it('keeps counters exact with many concurrent voters on one article', async () => {
    const author = await registerUser(api);
    const voters = await Promise.all(Array.from({ length: 20 }, () => registerUser(api)));
    const slug = await publish(author.token, 'Popular');
    api.clock.advance(10_000);
    const responses = await Promise.all(voters.map((v) => vote(v.token, slug, 10000)));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const article = (await api.http().get(`/api/articles/${slug}`).expect(200)).body.article;
    expect(article.netRshares).toBe((FULL_VOTE_RSHARES * 20n).toString());
    expect(article.upvotes).toBe(20);
    expect((await api.http().get(`/api/articles/${slug}/votes`)).body.votesCount).toBe(20);
    expect((await api.http().get(`/api/profiles/${author.username}`)).body.profile.reputation).toBe(((FULL_VOTE_RSHARES >> 6n) * 20n).toString());
  });

  it('debits mana once when one voter races on many articles (the 3-second rule lets one through)', async () => {
    const author = await registerUser(api);
    const voter = await registerUser(api);
    const slugs = await Promise.all(Array.from({ length: 8 }, (_, i) => publish(author.token, `Race ${i}`)));
    api.clock.advance(10_000);
    const responses = await Promise.all(slugs.map((slug) => vote(voter.token, slug, 10000)));
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 422)).toHaveLength(7);
    const mana = await api.http().get('/api/user/mana').set(auth(voter.token)).expect(200);
    expect(mana.body.votingMana.current).toBe((BASE_STAKE - 20_000_000_000n).toString());
  });

  it('refuses votes at or after payout, and deleting a positively voted article before payout', async () => {
    const author = await registerUser(api);
    const voter = await registerUser(api);
    const slug = await publish(author.token, 'Time limited');
    api.clock.advance(10_000);
    await vote(voter.token, slug, 10000).expect(200);
    await api.http().delete(`/api/articles/${slug}`).set(auth(author.token)).expect(409);
    api.clock.advance(7 * 24 * 3600 * 1000);
    const late = await vote(voter.token, slug, 5000);
    expect(late.status).toBe(422);
    expect(late.body.fields.vote[0]).toContain('VOTE_AFTER_PAYOUT');
  });

  it('ranks by trending and hot score and lists posts paying out within 12–36 hours', async () => {
    const author = await registerUser(api, 'ranker');
    const voter = await registerUser(api);
    const older = await publish(author.token, 'Older but voted', { tagList: ['rankings'] });
    api.clock.advance(5_000);
    const newer = await publish(author.token, 'Newer without votes', { tagList: ['rankings'] });
    api.clock.advance(5_000);
    await vote(voter.token, older, 10000).expect(200);
    const trending = await api.http().get('/api/articles?sort=trending&tag=rankings').expect(200);
    expect(trending.body.articles.map((a: { slug: string }) => a.slug)).toEqual([older, newer]);
    const created = await api.http().get('/api/articles?sort=created&tag=rankings').expect(200);
    expect(created.body.articles.map((a: { slug: string }) => a.slug)).toEqual([newer, older]);
    await api.http().get('/api/articles?sort=payout').expect(200);
    await api.http().get('/api/articles?sort=random').expect(422);
  });

  it('exposes the policy and validates payout options at creation', async () => {
    const policy = (await api.http().get('/api/rewards/policy').expect(200)).body.policy;
    expect(policy).toMatchObject({ payoutWindowSeconds: 604800, rewardFundPerDay: '100000', baseStakeVests: '1000000000000' });
    expect(policy.policyVersion).toMatch(/@[0-9a-f]{12}$/);
    const { token } = await registerUser(api);
    const bad = async (extra: Record<string, unknown>) =>
      api.http().post('/api/articles').set(auth(token)).send({ article: { title: 'Options', description: '', body: 'b', ...extra } }).expect(422);
    await bad({ beneficiaries: [{ account: 'zed', weight: 100 }, { account: 'amy', weight: 100 }] });
    await bad({ beneficiaries: Array.from({ length: 9 }, (_, i) => ({ account: `acct${i}`, weight: 100 })) });
    await bad({ beneficiaries: [{ account: 'amy', weight: 6000 }, { account: 'bob', weight: 5000 }] });
    await bad({ maxAcceptedPayout: '1.5 STEEM' });
    await bad({ percentLiquid: 20000 });
    // Malformed assets are a 422 in the RealWorld error shape naming the field, never a 500.
    for (const maxAcceptedPayout of ['1.5 STEEM', '1.000 SBD', '-1.000 STEEM', '1.000 steem', '1e3 STEEM', '1000000000000000.000 STEEM', 12]) {
      const response = await bad({ maxAcceptedPayout });
      expect(response.body).toEqual({
        errors: { body: [expect.stringMatching(/^maxAcceptedPayout /)] },
        fields: { maxAcceptedPayout: [expect.any(String)] },
      });
    }
    // Beneficiary accounts follow steemd's account-name rule exactly (labels of ≥ 3 characters, no trailing hyphen).
    for (const account of ['ab.cde', 'abc-', 'abc..def', 'Abc', 'a'.repeat(17)]) {
      const response = await bad({ beneficiaries: [{ account, weight: 100 }] });
      expect(response.body.fields).toEqual({ 'beneficiaries.0.account': ['must be a Steem account name'] });
    }
    const accepted = await api
      .http()
      .post('/api/articles')
      .set(auth(token))
      .send({ article: { title: 'Options', description: '', body: 'b', beneficiaries: [{ account: 'abc.def-9', weight: 100 }], maxAcceptedPayout: '10.000 STEEM' } })
      .expect(201);
    expect(accepted.body.article).toMatchObject({ beneficiaries: [{ account: 'abc.def-9', weight: 100 }], maxAcceptedPayout: '10.000 STEEM' });
  });
});

describe('a vote left pending by a stopped process', () => {
  it('is applied by the sweep: the charged mana always ends up as a counted vote', async () => {
    const { UserModel } = await import('../../models/user');
    const { ArticleModel } = await import('../../models/article');
    const { applyStalePendingVotes } = await import('../../commands/votes/pendingVote');
    const author = await registerUser(api);
    const voter = await registerUser(api);
    const slug = await publish(author.token, 'Interrupted vote');
    const article = (await ArticleModel.findOne({ slug }).lean())!;
    const voterId = await userIdOf(voter.username);
    const votedAt = Math.floor(api.clock.now().getTime() / 1000);
    // The state a crash leaves after the voter was charged and before the vote was applied.
    await UserModel.updateOne(
      { _id: voterId },
      {
        $set: {
          votingMana: { current: (BASE_STAKE - 20_000_000_000n).toString(), lastUpdate: votedAt },
          lastVoteTime: votedAt,
          pendingVote: pendingFullVote({ id: 'crashed-vote-1', article, voter: voterId, votedAt, secondsSinceCreated: 600 }),
        },
      },
    );
    expect(await applyStalePendingVotes(api.services.policy, votedAt - 30)).toBe(0);
    expect(await applyStalePendingVotes(api.services.policy, votedAt + 31)).toBe(1);
    expect(await applyStalePendingVotes(api.services.policy, votedAt + 31)).toBe(0);
    const after = (await api.http().get(`/api/articles/${slug}`).expect(200)).body.article;
    expect(after).toMatchObject({ netRshares: FULL_VOTE_RSHARES.toString(), upvotes: 1 });
    expect((await api.http().get(`/api/articles/${slug}/votes`)).body.votesCount).toBe(1);
  });
});

describe('votes decided together', () => {
  it('takes one voter’s votes sent at once one after another, in the order sent', async () => {
    const { castVote } = await import('../../commands/votes/castVote');
    const { ArticleModel } = await import('../../models/article');
    const author = await registerUser(api);
    const voter = await registerUser(api);
    const [first, second] = [await publish(author.token, 'In order one'), await publish(author.token, 'In order two')];
    api.clock.advance(10_000);
    const voterId = await userIdOf(voter.username);
    const idOf = async (slug: string) => (await ArticleModel.findOne({ slug }, { _id: 1 }).lean())!._id;
    const [a, b] = [await idOf(first), await idOf(second)];
    const authorId = await userIdOf(author.username);
    const submit = (article: typeof a, weight: number) => castVote({ voter: voterId, article, author: authorId, weight, now: api.clock.now(), policy: api.services.policy });
    const outcomes = await Promise.allSettled([submit(a, 5000), submit(a, 0), submit(b, 5000), submit(a, 0)]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected']);
    expect(outcomes.slice(0, 2).map((o) => (o as PromiseFulfilledResult<{ applied: { kind: string } }>).value.applied.kind)).toEqual(['new', 'removal']);
    expect((outcomes[2] as PromiseRejectedResult).reason.code).toBe('VOTE_TOO_SOON');
    expect((outcomes[3] as PromiseRejectedResult).reason.code).toBe('VOTE_IDENTICAL');
    api.clock.advance(3000);
    expect((await submit(b, 5000)).applied.kind).toBe('new');
  });

  it('takes batches at most once per window: votes arriving within it wait and go together, a vote after a quiet spell goes at once', async () => {
    const { VoteBatcher } = await import('../../commands/votes/queue');
    const author = await registerUser(api);
    const voters = [await registerUser(api), await registerUser(api), await registerUser(api)];
    const [first, later] = [await publish(author.token, 'Batched in windows'), await publish(author.token, 'After a quiet spell')];
    api.clock.advance(10_000);
    const [firstPost, laterPost] = [await batchPostRead(first), await batchPostRead(later)];
    // Time as the batcher sees it, moved by hand; a wait is released by the test.
    let now = 0;
    const waits: { ms: number; release: () => void }[] = [];
    let waitStarted = () => {};
    const firstWait = new Promise<void>((resolve) => (waitStarted = resolve));
    const batcher = new VoteBatcher(100, {
      now: () => now,
      sleep: (ms) =>
        new Promise<void>((release) => {
          waits.push({ ms, release });
          waitStarted();
        }),
    });
    const ids = await Promise.all(voters.map((voter) => userIdOf(voter.username)));
    const submit = (voter: number, post: typeof firstPost) =>
      batcher.submit({ voter: ids[voter]!, article: post._id, author: post.author, weight: 10000, now: api.clock.now(), policy: api.services.policy });

    expect((await submit(0, firstPost)).applied.kind).toBe('new');
    expect(batcher.batchesTaken).toBe(1);
    now = 30;
    const during = [submit(1, firstPost)];
    await firstWait;
    expect(waits.map((wait) => wait.ms)).toEqual([70]);
    // Another vote arrives while the first waits for the window to end: they go together.
    during.push(submit(2, firstPost));
    expect(batcher.batchesTaken).toBe(1);
    now = 100;
    waits[0]!.release();
    expect((await Promise.all(during)).map((result) => result.applied.kind)).toEqual(['new', 'new']);
    expect(batcher.batchesTaken).toBe(2);
    await batcher.whenIdle();

    // A quiet spell longer than the window: the next vote does not wait.
    now = 1000;
    api.clock.advance(3000);
    expect((await submit(0, laterPost)).applied.kind).toBe('new');
    expect(batcher.batchesTaken).toBe(3);
    expect(waits).toHaveLength(1);
  });

  it('finishes a vote left pending elsewhere before the voter’s next, and leaves no pending mark once idle', async () => {
    const { VoteBatcher } = await import('../../commands/votes/queue');
    const { UserModel } = await import('../../models/user');
    const author = await registerUser(api);
    const [voter, other] = [await registerUser(api), await registerUser(api)];
    const [stranded, next] = [await publish(author.token, 'Stranded vote'), await publish(author.token, 'Next vote')];
    api.clock.advance(10_000);
    const [strandedPost, nextPost] = [await batchPostRead(stranded), await batchPostRead(next)];
    // A process charged this vote and stopped before landing it.
    await chargedFullVote('stranded-1', voter.username, strandedPost, Math.floor(api.clock.now().getTime() / 1000));
    const batcher = new VoteBatcher();
    const request = async (username: string, post: typeof nextPost, weight: number) =>
      batcher.submit({ voter: await userIdOf(username), article: post._id, author: post.author, weight, now: api.clock.now(), policy: api.services.policy });
    const [mine, theirs] = await Promise.all([request(voter.username, nextPost, 10000), request(other.username, nextPost, 5000)]);
    expect([mine.applied.kind, theirs.applied.kind]).toEqual(['new', 'new']);
    const article = async (slug: string) => (await api.http().get(`/api/articles/${slug}`).expect(200)).body.article;
    expect(await article(stranded)).toMatchObject({ netRshares: FULL_VOTE_RSHARES.toString(), upvotes: 1 });
    expect((await article(next)).netRshares).toBe((mine.vote.rshares + theirs.vote.rshares).toString());
    await batcher.whenIdle();
    expect(await UserModel.countDocuments({ _id: { $in: [await userIdOf(voter.username), await userIdOf(other.username)] }, pendingVote: { $ne: null } })).toBe(0);
  });

  it('lands a batch exactly once when its posts moved on after they were read, and a replay changes nothing', async () => {
    const { UserModel } = await import('../../models/user');
    const { VoteModel } = await import('../../models/vote');
    const { NotificationModel } = await import('../../models/notification');
    const { landVoteBatch } = await import('../../commands/votes/land');
    const { readBatch } = await import('../../commands/votes/reads');
    const author = await registerUser(api);
    const [early, late, other] = [await registerUser(api), await registerUser(api), await registerUser(api)];
    const [raced, quiet] = [await publish(author.token, 'Raced post'), await publish(author.token, 'Quiet post')];
    api.clock.advance(10_000);
    const read = new Map([[raced, await batchPostRead(raced)], [quiet, await batchPostRead(quiet)]]);
    const [earlyId, lateId] = [await userIdOf(early.username), await userIdOf(late.username)];
    const reads = await readBatch([
      { voter: earlyId, article: read.get(raced)!._id, author: read.get(raced)!.author },
      { voter: lateId, article: read.get(quiet)!._id, author: read.get(quiet)!.author },
    ]);
    const posts = reads.posts;
    // Another process lands a vote on one post (and moves the author's reputation) after the batch read them.
    await vote(other.token, raced, 10000).expect(200);
    const votedAt = Math.floor(api.clock.now().getTime() / 1000);
    const ops = [await chargedFullVote('batched-1', early.username, read.get(raced)!, votedAt), await chargedFullVote('batched-2', late.username, read.get(quiet)!, votedAt)];
    await landVoteBatch(ops, api.services.policy, reads);
    const check = async () => {
      const [r, q] = [(await api.http().get(`/api/articles/${raced}`).expect(200)).body.article, (await api.http().get(`/api/articles/${quiet}`).expect(200)).body.article];
      expect([r.netRshares, r.upvotes, q.netRshares, q.upvotes]).toEqual([(FULL_VOTE_RSHARES * 2n).toString(), 2, FULL_VOTE_RSHARES.toString(), 1]);
      expect((await api.http().get(`/api/profiles/${author.username}`)).body.profile.reputation).toBe(((FULL_VOTE_RSHARES >> 6n) * 3n).toString());
      expect(await VoteModel.countDocuments({ article: { $in: [...posts.values()].map((p) => p._id) } })).toBe(3);
      expect(await NotificationModel.countDocuments({ dedupeKey: { $in: ['vote:batched-1', 'vote:batched-2'] } })).toBe(2);
      // Landing leaves the voters' pending marks for the batcher to clear (with its next charge).
      expect(await UserModel.countDocuments({ 'pendingVote.id': { $in: ['batched-1', 'batched-2'] } })).toBe(2);
    };
    await check();
    // A replay with the same stale reads (a crash after the writes, before the answers).
    await landVoteBatch(ops, api.services.policy, reads);
    await check();
  });

  it('writes the same documents as the one-vote path (the batch goes through the driver)', async () => {
    const { UserModel } = await import('../../models/user');
    const { ArticleModel } = await import('../../models/article');
    const { VoteModel } = await import('../../models/vote');
    const { EventModel } = await import('../../models/event');
    const { NotificationModel } = await import('../../models/notification');
    const { ReputationChangeModel } = await import('../../models/reputationChange');
    const { applyPendingVote } = await import('../../commands/votes/pendingVote');
    const { landVoteBatch } = await import('../../commands/votes/land');
    const { readBatch } = await import('../../commands/votes/reads');
    const { clearPendingMarks } = await import('../../commands/votes/pendingMarks');
    const author = await registerUser(api);
    const [alone, batched] = [await registerUser(api), await registerUser(api)];
    const slug = await publish(author.token, 'Written either way');
    api.clock.advance(10_000);
    const votedAt = Math.floor(api.clock.now().getTime() / 1000);
    const before = new Date();
    await applyPendingVote(await chargedFullVote('parity-alone', alone.username, await batchPostRead(slug), votedAt), api.services.policy);
    const op = await chargedFullVote('parity-batched', batched.username, await batchPostRead(slug), votedAt);
    const post = await batchPostRead(slug);
    await landVoteBatch([op], api.services.policy, await readBatch([{ voter: await userIdOf(batched.username), article: post._id, author: post.author }]));
    await clearPendingMarks([op]);

    // Field names and stored BSON types, values aside.
    const shape = (doc: Record<string, unknown> | null) =>
      Object.fromEntries(
        Object.entries(doc ?? {})
          .map(([key, value]) => [key, value === null ? 'null' : value instanceof Date ? 'date' : ((value as { _bsontype?: string })._bsontype ?? typeof value)])
          .sort(([a], [b]) => a!.localeCompare(b!)),
      );
    const raw = async (model: { collection: { findOne(filter: object): Promise<unknown> } }, filter: object) => (await model.collection.findOne(filter)) as Record<string, unknown> | null;
    const [aloneId, batchedId] = [await userIdOf(alone.username), await userIdOf(batched.username)];
    const pairs = [
      [await raw(VoteModel, { voter: aloneId }), await raw(VoteModel, { voter: batchedId })],
      [await raw(EventModel, { 'data.vote': 'parity-alone' }), await raw(EventModel, { 'data.vote': 'parity-batched' })],
      [await raw(NotificationModel, { dedupeKey: 'vote:parity-alone' }), await raw(NotificationModel, { dedupeKey: 'vote:parity-batched' })],
      [await raw(ReputationChangeModel, { op: 'parity-alone' }), await raw(ReputationChangeModel, { op: 'parity-batched' })],
      [await raw(UserModel, { _id: aloneId }), await raw(UserModel, { _id: batchedId })],
    ];
    for (const [one, batch] of pairs) {
      expect(batch).not.toBeNull();
      expect(shape(batch!)).toEqual(shape(one!));
    }
    // Timestamps are kept as mongoose keeps them.
    const batchedVote = pairs[0]![1]!;
    expect((batchedVote.createdAt as Date).getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(batchedVote.__v).toBe(0);
    expect(((await raw(ArticleModel, { slug }))!.updatedAt as Date).getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(((await raw(UserModel, { _id: batchedId }))!.updatedAt as Date).getTime()).toBeGreaterThanOrEqual(before.getTime());
  });
});
