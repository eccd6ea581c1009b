import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

/**
 * RealWorld favorites always answer 200 with the state asked for and exact counts; the vote behind a
 * favorite follows Steem's rules, and a favorite the rules refuse is recorded without reward
 * (`favoriteVote: {status: 'not_counted', reason}`). The clock is the injected ManualClock: no sleeps.
 */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  await api.http().get('/api/rewards/fund').expect(200);
});
afterAll(() => api.close());

const FULL_VOTE_RSHARES = '19950000000';
const BASE_STAKE = 1_000_000_000_000n;
const FULL_VOTE_MANA = 20_000_000_000n;

type User = Awaited<ReturnType<typeof registerUser>>;

async function publish(token: string, title: string, extra: Record<string, unknown> = {}): Promise<string> {
  const { body } = await api.http().post('/api/articles').set(auth(token)).send({ article: { title, description: '', body: 'text', ...extra } }).expect(201);
  return body.article.slug as string;
}

const favorite = (user: User, slug: string) => api.http().post(`/api/articles/${slug}/favorite`).set(auth(user.token));
const unfavorite = (user: User, slug: string) => api.http().delete(`/api/articles/${slug}/favorite`).set(auth(user.token));
const vote = (user: User, slug: string, weight: number) => api.http().post(`/api/articles/${slug}/votes`).set(auth(user.token)).send({ vote: { weight } });
const read = async (user: User | null, slug: string) => {
  const request = api.http().get(`/api/articles/${slug}`);
  return (await (user ? request.set(auth(user.token)) : request).expect(200)).body.article;
};

async function voteRecord(user: User, slug: string) {
  const { ArticleModel } = await import('../../models/article');
  const { UserModel } = await import('../../models/user');
  const { VoteModel } = await import('../../models/vote');
  const article = (await ArticleModel.findOne({ slug }, { _id: 1 }).lean())!;
  const voter = (await UserModel.findOne({ usernameKey: user.username.toLowerCase() }, { _id: 1 }).lean())!;
  return VoteModel.findOne({ article: article._id, voter: voter._id }).lean();
}

const votingMana = async (user: User) => BigInt((await api.http().get('/api/user/mana').set(auth(user.token)).expect(200)).body.votingMana.current);

/** The favorites of an article as the vote records hold them, and its stored counters. */
async function counted(slug: string) {
  const { ArticleModel } = await import('../../models/article');
  const { VoteModel } = await import('../../models/vote');
  const article = (await ArticleModel.findOne({ slug }).lean())!;
  return {
    favoritesCount: article.favoritesCount,
    favorites: await VoteModel.countDocuments({ article: article._id, favorite: true }),
    upvotes: article.upvotes,
    upvoteRecords: await VoteModel.countDocuments({ article: article._id, weight: { $gt: 0 } }),
  };
}

describe('favorites', () => {
  it('answers ten favorites on ten articles within one second with ten 200s, each counted exactly; only the first is rewarded', async () => {
    const author = await registerUser(api);
    const reader = await registerUser(api);
    const slugs: string[] = [];
    for (let i = 0; i < 10; i += 1) slugs.push(await publish(author.token, `Ten favorites ${i}`));
    api.clock.advance(10_000);
    const answers = [];
    for (const slug of slugs) answers.push(await favorite(reader, slug));
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    for (const [i, answer] of answers.entries()) {
      expect(answer.body.article).toMatchObject({ slug: slugs[i], favorited: true, favoritesCount: 1 });
      expect(answer.body.article.favoriteVote).toEqual(i === 0 ? { status: 'counted' } : { status: 'not_counted', reason: 'VOTE_TOO_SOON' });
      expect(answer.body.article.upvotes).toBe(i === 0 ? 1 : 0);
    }
    for (const slug of slugs) {
      expect(await read(reader, slug)).toMatchObject({ favorited: true, favoritesCount: 1 });
      expect(await read(null, slug)).toMatchObject({ favorited: false, favoritesCount: 1, favoriteVote: null });
      expect(await counted(slug)).toMatchObject({ favoritesCount: 1, favorites: 1 });
    }
    // One vote's mana; the nine unrewarded favorites cost nothing and carry no rshares.
    expect(await votingMana(reader)).toBe(BASE_STAKE - FULL_VOTE_MANA);
    expect(await voteRecord(reader, slugs[0]!)).toMatchObject({ weight: 10000, rshares: FULL_VOTE_RSHARES, favorite: true, favoriteRefusal: null });
    expect(await voteRecord(reader, slugs[1]!)).toMatchObject({ weight: 0, rshares: '0', changes: 0, favorite: true, favoriteRefusal: 'VOTE_TOO_SOON' });
    // Not a vote: the article's votes list it not.
    expect((await api.http().get(`/api/articles/${slugs[1]}/votes`).expect(200)).body).toEqual({ votes: [], votesCount: 0 });
    // Listed among the reader's favorites, rewarded or not.
    const listed = await api.http().get(`/api/articles?favorited=${reader.username}&limit=20`).expect(200);
    expect(listed.body.articlesCount).toBe(10);
    expect(new Set(listed.body.articles.map((a: { slug: string }) => a.slug))).toEqual(new Set(slugs));

    // An unrewarded favorite never becomes a vote on its own, however long one waits.
    api.clock.advance(60_000);
    expect((await read(reader, slugs[1]!)).favoriteVote).toEqual({ status: 'not_counted', reason: 'VOTE_TOO_SOON' });
    await favorite(reader, slugs[1]!).expect(200); // already favorited: nothing changes
    expect(await voteRecord(reader, slugs[1]!)).toMatchObject({ weight: 0, rshares: '0', favorite: true });
    expect(await votingMana(reader)).toBeGreaterThan(BASE_STAKE - FULL_VOTE_MANA); // regenerating, not spent again
    // Undoing it and favoriting again, once the rules allow, is a new vote the reader asked for.
    await unfavorite(reader, slugs[1]!).expect(200);
    const again = await favorite(reader, slugs[1]!).expect(200);
    expect(again.body.article).toMatchObject({ favorited: true, favoritesCount: 1, upvotes: 1, favoriteVote: { status: 'counted' } });
    expect(await voteRecord(reader, slugs[1]!)).toMatchObject({ weight: 10000, rshares: expect.not.stringMatching(/^0$/), changes: 0, favorite: true, favoriteRefusal: null });
  });

  it('answers favorite/unfavorite toggled ten times with ten 200s, exact counters and mana charged once', async () => {
    const author = await registerUser(api);
    const reader = await registerUser(api);
    const other = await registerUser(api);
    const slug = await publish(author.token, 'Toggle me');
    api.clock.advance(10_000);
    await favorite(other, slug).expect(200);
    const before = await votingMana(reader);
    for (let i = 0; i < 10; i += 1) {
      const on = i % 2 === 0;
      const answer = await (on ? favorite(reader, slug) : unfavorite(reader, slug));
      expect(answer.status).toBe(200);
      expect(answer.body.article).toMatchObject({ favorited: on, favoritesCount: on ? 2 : 1 });
    }
    const final = await read(reader, slug);
    expect(final).toMatchObject({ favorited: false, favoritesCount: 1, upvotes: 1 });
    expect(final.favoriteVote).toBeNull();
    expect(await counted(slug)).toEqual({ favoritesCount: 1, favorites: 1, upvotes: 1, upvoteRecords: 1 });
    // The first favorite was the one vote; its removal is a change; the re-favorites within 3 s were not votes.
    expect(before - (await votingMana(reader))).toBe(FULL_VOTE_MANA);
    expect(await voteRecord(reader, slug)).toMatchObject({ weight: 0, rshares: '0', changes: 1, favorite: false });
    const votes = await api.http().get(`/api/articles/${slug}/votes`).expect(200);
    expect(votes.body.votes.find((v: { voter: string }) => v.voter === reader.username)).toMatchObject({ weight: 0, rshares: '0' });

    // Toggling with the clock moving cannot get round the five changes either.
    for (let i = 0; i < 12; i += 1) {
      api.clock.advance(3_000);
      const on = i % 2 === 0;
      const answer = await (on ? favorite(reader, slug) : unfavorite(reader, slug)).expect(200);
      expect(answer.body.article).toMatchObject({ favorited: on, favoritesCount: on ? 2 : 1 });
    }
    // favorite, unfavorite, favorite, unfavorite were changes 2–5; the rest only moved the favorite.
    expect(await voteRecord(reader, slug)).toMatchObject({ weight: 0, rshares: '0', changes: 5, favorite: false });
    const shown = await read(reader, slug);
    expect(shown).toMatchObject({ favorited: false, favoritesCount: 1, upvotes: 1, favoriteVote: null });
    expect(await counted(slug)).toEqual({ favoritesCount: 1, favorites: 1, upvotes: 1, upvoteRecords: 1 });
    const exhausted = await favorite(reader, slug).expect(200);
    expect(exhausted.body.article).toMatchObject({ favorited: true, favoritesCount: 2, upvotes: 1, favoriteVote: { status: 'not_counted', reason: 'VOTE_CHANGES_EXHAUSTED' } });
  });

  it('records favorites after the payout, on a post without votes and with the changes used up as favorites without reward', async () => {
    const author = await registerUser(api);
    const reader = await registerUser(api);
    const locked = await publish(author.token, 'No votes here', { allowVotes: false });
    const used = await publish(author.token, 'Changes used up');
    const late = await publish(author.token, 'Paying out soon');
    const settled = await publish(author.token, 'Already settled');
    const kept = await publish(author.token, 'Favorited before the payout');
    api.clock.advance(10_000);

    const onLocked = await favorite(reader, locked).expect(200);
    expect(onLocked.body.article).toMatchObject({ favorited: true, favoritesCount: 1, upvotes: 0, favoriteVote: { status: 'not_counted', reason: 'VOTES_NOT_ALLOWED' } });
    // Unfavoriting a favorite without a vote is always possible.
    const offLocked = await unfavorite(reader, locked).expect(200);
    expect(offLocked.body.article).toMatchObject({ favorited: false, favoritesCount: 0, favoriteVote: null });

    for (const weight of [2000, 3000, 4000, 5000, 6000, -1000]) {
      api.clock.advance(3_000);
      await vote(reader, used, weight).expect(200);
    }
    api.clock.advance(3_000);
    const onUsed = await favorite(reader, used).expect(200);
    expect(onUsed.body.article).toMatchObject({ favorited: true, favoritesCount: 1, upvotes: 0, downvotes: 1, favoriteVote: { status: 'not_counted', reason: 'VOTE_CHANGES_EXHAUSTED' } });
    expect(await voteRecord(reader, used)).toMatchObject({ weight: -1000, changes: 5, favorite: true });
    // The votes API keeps Steem's rules and their 422s.
    const refused = await vote(reader, used, 10000).expect(422);
    expect(refused.body.fields.vote[0]).toContain('VOTE_CHANGES_EXHAUSTED');

    api.clock.advance(3_000);
    await favorite(reader, kept).expect(200);
    expect(await voteRecord(reader, kept)).toMatchObject({ weight: 10000, rshares: expect.stringMatching(/^[1-9]\d*$/) });

    const { ArticleModel } = await import('../../models/article');
    await ArticleModel.updateOne({ slug: settled }, { $set: { paid: true } });
    api.clock.advance(7 * 24 * 3600 * 1000);
    for (const slug of [late, settled]) {
      const answer = await favorite(reader, slug).expect(200);
      expect(answer.body.article).toMatchObject({ favorited: true, favoritesCount: 1, upvotes: 0, favoriteVote: { status: 'not_counted', reason: 'VOTE_AFTER_PAYOUT' } });
      expect(await counted(slug)).toMatchObject({ favoritesCount: 1, favorites: 1 });
      const undone = await unfavorite(reader, slug).expect(200);
      expect(undone.body.article).toMatchObject({ favorited: false, favoritesCount: 0 });
    }
    // Unfavoriting after the payout cannot take the upvote back: the favorite goes, the upvote counted.
    const unkept = await unfavorite(reader, kept).expect(200);
    expect(unkept.body.article).toMatchObject({ favorited: false, favoritesCount: 0, upvotes: 1, favoriteVote: { status: 'counted', reason: 'VOTE_AFTER_PAYOUT' } });
    expect(await voteRecord(reader, kept)).toMatchObject({ weight: 10000, rshares: expect.stringMatching(/^[1-9]\d*$/), favorite: false });
    const afterPayout = await vote(reader, late, 10000).expect(422);
    expect(afterPayout.body.fields.vote[0]).toContain('VOTE_AFTER_PAYOUT');
  });

  it('records a favorite without mana as not rewarded', async () => {
    const { UserModel } = await import('../../models/user');
    const author = await registerUser(api);
    const reader = await registerUser(api);
    const slug = await publish(author.token, 'Out of mana');
    api.clock.advance(10_000);
    const now = Math.floor(api.clock.now().getTime() / 1000);
    // Voting mana below zero (a downvote's overflow took it there): steemd refuses an upvote.
    await UserModel.updateOne({ usernameKey: reader.username.toLowerCase() }, { $set: { votingMana: { current: '-1000000', lastUpdate: now } } });
    const answer = await favorite(reader, slug).expect(200);
    expect(answer.body.article).toMatchObject({ favorited: true, favoritesCount: 1, upvotes: 0, netRshares: '0', favoriteVote: { status: 'not_counted', reason: 'INSUFFICIENT_MANA' } });
    expect(await votingMana(reader)).toBe(-1_000_000n); // nothing charged
  });

  it('keeps the votes API’s 422s, and a favorite does not move the 3-second rule', async () => {
    const author = await registerUser(api);
    const reader = await registerUser(api);
    const [first, second, third] = [await publish(author.token, 'Rule one'), await publish(author.token, 'Rule two'), await publish(author.token, 'Rule three')];
    api.clock.advance(10_000);
    await favorite(reader, first).expect(200);
    const tooSoon = await vote(reader, second, 10000).expect(422);
    expect(tooSoon.body.fields.vote[0]).toContain('VOTE_TOO_SOON');
    await favorite(reader, second).expect(200); // not rewarded: the last vote time stays the first favorite's
    api.clock.advance(3_000);
    await vote(reader, third, 10000).expect(200);
    // A vote through the votes API is a favorite too, and an upvote over an unrewarded favorite is its first vote.
    api.clock.advance(3_000);
    const upvoted = await vote(reader, second, 10000).expect(200);
    expect(upvoted.body.vote).toMatchObject({ weight: 10000, changes: 0 });
    expect(upvoted.body.article).toMatchObject({ favorited: true, favoritesCount: 1, upvotes: 1 });
    expect(await read(reader, second)).toMatchObject({ favoriteVote: { status: 'counted' } });
  });

  it('counts concurrent favorites and unfavorites of many readers exactly', async () => {
    const author = await registerUser(api);
    const readers = await Promise.all(Array.from({ length: 8 }, () => registerUser(api)));
    const slug = await publish(author.token, 'Crowded');
    api.clock.advance(10_000);
    await Promise.all(readers.flatMap((reader) => [favorite(reader, slug).expect(200), favorite(reader, slug).expect(200)]));
    expect(await counted(slug)).toMatchObject({ favoritesCount: 8, favorites: 8 });
    await Promise.all(readers.slice(0, 3).map((reader) => unfavorite(reader, slug).expect(200)));
    expect(await counted(slug)).toEqual({ favoritesCount: 5, favorites: 5, upvotes: 5, upvoteRecords: 5 });
    expect((await read(null, slug)).favoritesCount).toBe(5);
  });

  it('lands a favorite left pending by a crash exactly once, however often it is rolled forward', async () => {
    const { ArticleModel } = await import('../../models/article');
    const { UserModel } = await import('../../models/user');
    const { applyPendingVote } = await import('../../commands/votes/pendingVote');
    const author = await registerUser(api);
    const reader = await registerUser(api);
    const slug = await publish(author.token, 'Crash in between');
    api.clock.advance(10_000);
    const article = (await ArticleModel.findOne({ slug }, { _id: 1, author: 1, createdAt: 1 }).lean())!;
    const voter = (await UserModel.findOne({ usernameKey: reader.username.toLowerCase() }, { _id: 1 }).lean())!;
    const op = {
      id: 'favorite-left-pending', article: article._id.toString(), voter: voter._id.toString(), author: article.author.toString(), kind: 'favorite' as const,
      weight: 0, rshares: '0', changes: 0, votedAt: Math.floor(api.clock.now().getTime() / 1000), oldRshares: null, oldWeight: 0, oldCurationWeight: '0',
      eligibleForCuration: false, secondsSinceCreated: 10, favorite: true, oldFavorite: false, favoriteRefusal: 'VOTE_TOO_SOON',
    };
    await UserModel.updateOne({ _id: voter._id }, { $set: { pendingVote: op } });
    await applyPendingVote(op, api.services.policy);
    await applyPendingVote(op, api.services.policy);
    // The reader's next request finds nothing pending and the favorite already as asked.
    const answer = await favorite(reader, slug).expect(200);
    expect(answer.body.article).toMatchObject({ favorited: true, favoritesCount: 1, upvotes: 0, favoriteVote: { status: 'not_counted', reason: 'VOTE_TOO_SOON' } });
    expect(await counted(slug)).toEqual({ favoritesCount: 1, favorites: 1, upvotes: 0, upvoteRecords: 0 });
    expect(await votingMana(reader)).toBe(BASE_STAKE);
  });

  it('rolls a pending favorite forward before the voter’s next request, and counts it once', async () => {
    const { ArticleModel } = await import('../../models/article');
    const { UserModel } = await import('../../models/user');
    const author = await registerUser(api);
    const reader = await registerUser(api);
    const slug = await publish(author.token, 'Crash before landing');
    api.clock.advance(10_000);
    const article = (await ArticleModel.findOne({ slug }, { _id: 1, author: 1 }).lean())!;
    const voter = (await UserModel.findOne({ usernameKey: reader.username.toLowerCase() }, { _id: 1 }).lean())!;
    const op = {
      id: 'favorite-not-landed', article: article._id.toString(), voter: voter._id.toString(), author: article.author.toString(), kind: 'favorite' as const,
      weight: 0, rshares: '0', changes: 0, votedAt: Math.floor(api.clock.now().getTime() / 1000), oldRshares: null, oldWeight: 0, oldCurationWeight: '0',
      eligibleForCuration: false, secondsSinceCreated: 10, favorite: true, oldFavorite: false, favoriteRefusal: 'VOTES_NOT_ALLOWED',
    };
    await UserModel.updateOne({ _id: voter._id }, { $set: { pendingVote: op } });
    // The unfavorite that follows is decided after the pending favorite landed: it undoes it.
    const answer = await unfavorite(reader, slug).expect(200);
    expect(answer.body.article).toMatchObject({ favorited: false, favoritesCount: 0, favoriteVote: null });
    expect(await counted(slug)).toEqual({ favoritesCount: 0, favorites: 0, upvotes: 0, upvoteRecords: 0 });
  });
});
