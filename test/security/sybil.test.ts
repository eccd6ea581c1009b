/**
 * Sybil resistance of rewards: economic weight comes only from stake someone paid for. Free sign-ups
 * vote with zero rshares, and one Steem account's mana cannot be multiplied by passing it between
 * Inkwell users. Runs with the production defaults (no base stake, a relink cooldown of one payout window, 7 days) except
 * where a test says otherwise.
 */
import { createChainClient } from '../../chain';
import { startDevnet, type Devnet } from '../../devinfra/steem-devnet';
import { ArticleModel } from '../../models/article';
import { SettlementModel } from '../../models/settlement';
import { createLogger } from '../../lib/logger';
import { BadgeProcessor } from '../../workers/badges/badgeProcessor';
import { settleNextBatch } from '../../commands/payouts/settleNextBatch';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';
import { createStakedAccount, linkWithPostingKey } from '../support/steem';

const DAY_MS = 86_400_000;
/** 50,000 STEEM powered up: 88,000,000 VESTS, in VESTS satoshis. */
const STAKE_STEEM = '50000.000 STEEM';
const EV = 88_000_000_000_000n;
/** A full vote uses 2 % of the current mana. */
const FULL_VOTE_COST = EV / 50n;
/** What a full vote uses of `mana`: ceil(mana · 86400 / 4320000). */
const fullVoteCost = (mana: bigint) => (mana * 86_400n + 4_319_999n) / 4_320_000n;

let devnet: Devnet;
let api: TestApi;
let accounts = 0;
beforeAll(async () => {
  devnet = await startDevnet({ port: 0, blockIntervalMs: 0 });
});
afterAll(() => devnet.stop());

async function startApi(env: Record<string, string> = {}): Promise<void> {
  api = await startTestApi({ defaults: 'production', env });
  api.services.chain = createChainClient({ nodes: [devnet.url], chainId: devnet.chainId, addressPrefix: devnet.addressPrefix, timeoutMs: 5000 });
  await api.http().get('/api/rewards/fund').expect(200); // the fund starts accruing now
}

const stakedAccount = () => createStakedAccount(devnet, `sybil-${++accounts}`, STAKE_STEEM);
const publish = async (token: string, title: string) =>
  (await api.http().post('/api/articles').set(auth(token)).send({ article: { title, description: '', body: 'text' } }).expect(201)).body.article.slug as string;
const vote = (token: string, slug: string, weight: number) => api.http().post(`/api/articles/${slug}/votes`).set(auth(token)).send({ vote: { weight } });
const articleOf = async (slug: string, token?: string) => {
  const request = api.http().get(`/api/articles/${slug}`);
  return (await (token ? request.set(auth(token)) : request).expect(200)).body.article;
};
const reputationOf = async (username: string) => (await api.http().get(`/api/profiles/${username}`).expect(200)).body.profile.reputation as string;
const manaOf = async (token: string) => (await api.http().get('/api/user/mana').set(auth(token)).expect(200)).body;
const unlink = (token: string) => api.http().delete('/api/user/steem').set(auth(token)).expect(204);

describe('with the default settings', () => {
  beforeAll(() => startApi());
  afterAll(() => api.close());

  it('gives accounts without a linked Steem account no stake (GET /api/rewards/policy)', async () => {
    const { body } = await api.http().get('/api/rewards/policy').expect(200);
    expect(body.policy).toMatchObject({ baseStakeVests: '0', display: { baseStakeVests: '0.000000 VESTS' } });
  });

  it('15 new accounts upvoting one article move no rshares, payout, reputation, mana or badge; they still count as upvotes', async () => {
    const author = await registerUser(api);
    const sybils = await Promise.all(Array.from({ length: 15 }, () => registerUser(api)));
    const slug = await publish(author.token, 'Farmed by sock puppets');
    api.clock.advance(10_000);
    const answers = await Promise.all(sybils.slice(0, 14).map((sybil) => vote(sybil.token, slug, 10000)));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.vote).toMatchObject({ weight: 10000, rshares: '0' });
    }
    // A RealWorld favorite is the same zero-rshares upvote.
    await api.http().post(`/api/articles/${slug}/favorite`).set(auth(sybils[14]!.token)).expect(200);

    const article = await articleOf(slug, sybils[0]!.token);
    expect(article).toMatchObject({ netRshares: '0', upvotes: 15, favoritesCount: 15, favorited: true });
    expect(article.pendingPayout.total).toBe('0.000 STEEM');
    expect(await reputationOf(author.username)).toBe('0');
    // Nothing charged: a stakeless account has an empty bar of size 0, before and after.
    expect((await manaOf(sybils[0]!.token)).votingMana).toMatchObject({ current: '0', max: '0' });
    const preview = await api.http().get(`/api/articles/${slug}/votes/preview?weight=10000`).set(auth(sybils[1]!.token)).expect(200);
    expect(preview.body).toMatchObject({ rshares: '0' });

    // A stakeless downvote is accepted too, and equally weightless.
    const critic = await registerUser(api);
    api.clock.advance(3_000);
    expect((await vote(critic.token, slug, -10000).expect(200)).body.vote.rshares).toBe('0');
    expect(await articleOf(slug)).toMatchObject({ netRshares: '0', downvotes: 1 });

    // One real stake makes the post positive; the 15 free votes still earn the author no upvote badge.
    const staker = await registerUser(api);
    expect((await linkWithPostingKey(api, staker.token, await stakedAccount())).status).toBe(200);
    api.clock.advance(3_000);
    const staked = await vote(staker.token, slug, 10000).expect(200);
    const rshares = BigInt(staked.body.vote.rshares as string);
    expect(rshares).toBeGreaterThan(0n);
    expect((await articleOf(slug)).netRshares).toBe(rshares.toString());
    // Reputation moves by the staked vote alone.
    expect(await reputationOf(author.username)).toBe((rshares >> 6n).toString());

    const processor = new BadgeProcessor(api.clock, createLogger('silent'));
    while ((await processor.tick()) > 0);
    const badges = (await api.http().get(`/api/profiles/${author.username}/badges`).expect(200)).body.badges as { name: string }[];
    expect(badges.map((badge) => badge.name)).not.toContain('upvotes-10');

    // The rising board counts the reputation the stake moved, nothing for the free votes.
    const rising = (await api.http().get('/api/leaderboards/rising?period=week').expect(200)).body.entries as { username: string; value: string }[];
    expect(rising.find((entry) => entry.username === author.username)?.value).toBe((rshares >> 6n).toString());
  });

  it('one Steem account is linked to one user at a time (409)', async () => {
    const first = await registerUser(api);
    const second = await registerUser(api);
    const account = await stakedAccount();
    expect((await linkWithPostingKey(api, first.token, account)).status).toBe(200);
    const refused = await linkWithPostingKey(api, second.token, account);
    expect(refused.status).toBe(409);
    expect(refused.body.fields.account[0]).toMatch(/linked to another Inkwell user/);
    // Two users racing for one account: the unique index on users.steemAccount lets one through.
    const [racerA, racerB] = await Promise.all([registerUser(api), registerUser(api)]);
    const contested = await stakedAccount();
    const race = await Promise.all([linkWithPostingKey(api, racerA.token, contested), linkWithPostingKey(api, racerB.token, contested)]);
    expect(race.map((answer) => answer.status).sort()).toEqual([200, 409]);
    // Linking again to the same user only refreshes the stake.
    expect((await linkWithPostingKey(api, first.token, account)).status).toBe(200);
    // A user links one account at a time.
    const other = await stakedAccount();
    const twice = await linkWithPostingKey(api, first.token, other);
    expect(twice.status).toBe(409);
    expect(twice.body.fields.account[0]).toMatch(/unlink it first/);
  });

  it('passing an account to another user, or another account to the user, waits for the 7-day cooldown; unlinking and relinking keeps the spent mana', async () => {
    const first = await registerUser(api);
    const second = await registerUser(api);
    const author = await registerUser(api);
    const account = await stakedAccount();
    const slug = await publish(author.token, 'Voted by one stake');
    api.clock.advance(10_000);
    expect((await linkWithPostingKey(api, first.token, account)).status).toBe(200);
    await vote(first.token, slug, 10000).expect(200);
    const spent = (EV - FULL_VOTE_COST).toString();
    expect((await manaOf(first.token)).votingMana).toMatchObject({ current: spent, max: EV.toString(), percent: 98 });
    const unlinkedAt = api.clock.now().getTime();
    await unlink(first.token);

    const refused = await linkWithPostingKey(api, second.token, account);
    expect(refused.status).toBe(422);
    expect(refused.body.fields.account[0]).toContain(`from ${new Date(unlinkedAt + 7 * DAY_MS).toISOString()}`);
    const elsewhere = await linkWithPostingKey(api, first.token, await stakedAccount());
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.fields.account[0]).toMatch(/you can link another Steem account from/);

    // The same user takes the account back at once, with the mana it left with, not a full bar.
    expect((await linkWithPostingKey(api, first.token, account)).status).toBe(200);
    expect((await manaOf(first.token)).votingMana).toMatchObject({ current: spent });
    await unlink(first.token);
    // ...and unlinking again does not reset it either.
    expect((await linkWithPostingKey(api, first.token, account)).status).toBe(200);
    expect((await manaOf(first.token)).votingMana).toMatchObject({ current: spent });
  });

  it('settles a post whose votes all carry zero rshares: nothing paid, nothing claimed', async () => {
    const author = await registerUser(api);
    const voters = await Promise.all(Array.from({ length: 3 }, () => registerUser(api)));
    const slug = await publish(author.token, 'Only free votes');
    api.clock.advance(10_000);
    await Promise.all(voters.map((voter) => vote(voter.token, slug, 10000).expect(200)));
    api.clock.advance(8 * DAY_MS);
    const now = Math.floor(api.clock.now().getTime() / 1000);
    const context = { policy: api.services.policy, owner: 'sybil-test', batchSize: 1000, delaySeconds: 60, logger: createLogger('silent') };
    for (let report = await settleNextBatch(context, now); report; report = await settleNextBatch(context, now)) await report.applied;
    const article = await ArticleModel.findOne({ slug }).lean();
    expect(article!.paid).toBe(true);
    const settlement = await SettlementModel.findOne({ article: article!._id }).lean();
    expect(settlement).toMatchObject({ outcome: 'no_claims', payout: '0' });
    expect(settlement!.entries).toEqual([]);
  });
});

describe('with a relink cooldown shorter than mana regeneration', () => {
  beforeAll(() => startApi({ STEEM_RELINK_COOLDOWN_SECONDS: '3600' }));
  afterAll(() => api.close());

  it('a Steem account passed to other users in turn carries its spent, regenerated mana, not a full bar', async () => {
    const [first, second, third] = await Promise.all([registerUser(api), registerUser(api), registerUser(api)]);
    const author = await registerUser(api);
    const account = await stakedAccount();
    const slug = await publish(author.token, 'One stake, three users');
    api.clock.advance(10_000);

    expect((await linkWithPostingKey(api, first.token, account)).status).toBe(200);
    const firstVote = await vote(first.token, slug, 10000).expect(200);
    await unlink(first.token);

    api.clock.advance(1_800_000);
    const early = await linkWithPostingKey(api, second.token, account);
    expect(early.status).toBe(422);
    expect(early.body.fields.account[0]).toMatch(/can be linked to another user from/);

    api.clock.advance(1_800_000);
    expect((await linkWithPostingKey(api, second.token, account)).status).toBe(200);
    // 98 % left by the first user's vote, plus an hour's regeneration (EV · 3600 / 432000).
    const carried = EV - FULL_VOTE_COST + (EV * 3600n) / 432_000n;
    const mana = (await manaOf(second.token)).votingMana;
    expect(mana).toMatchObject({ current: carried.toString(), max: EV.toString() });
    expect(mana.percent).toBeLessThan(100);

    // The second user's vote is worth what the carried mana gives: less than the first one.
    const secondVote = await vote(second.token, slug, 10000).expect(200);
    expect(BigInt(secondVote.body.vote.rshares)).toBe(fullVoteCost(carried) - 50_000_000n);
    expect(BigInt(secondVote.body.vote.rshares)).toBeLessThan(BigInt(firstVote.body.vote.rshares));
    await unlink(second.token);

    api.clock.advance(3_600_000);
    expect((await linkWithPostingKey(api, third.token, account)).status).toBe(200);
    const afterTwo = carried - fullVoteCost(carried) + (EV * 3600n) / 432_000n;
    expect((await manaOf(third.token)).votingMana).toMatchObject({ current: afterTwo.toString() });
  });
});

describe('with a base stake (BASE_STAKE_VESTS, closed communities)', () => {
  const BASE = 1_000_000_000_000n;
  beforeAll(() => startApi({ BASE_STAKE_VESTS: '1000000.000000' }));
  afterAll(() => api.close());

  it('a linked user votes with the account’s stake and mana only; their own base-stake mana is set aside and comes back as they left it', async () => {
    const user = await registerUser(api);
    const author = await registerUser(api);
    const [first, second] = [await publish(author.token, 'Base one'), await publish(author.token, 'Base two')];
    api.clock.advance(10_000);
    expect((await vote(user.token, first, 10000).expect(200)).body.vote.rshares).toBe((BASE / 50n - 50_000_000n).toString());
    const baseLeft = (BASE - BASE / 50n).toString();
    expect((await manaOf(user.token)).votingMana).toMatchObject({ current: baseLeft, max: BASE.toString() });

    expect((await linkWithPostingKey(api, user.token, await stakedAccount())).status).toBe(200);
    expect((await manaOf(user.token)).votingMana).toMatchObject({ current: EV.toString(), max: EV.toString() });
    api.clock.advance(3_000);
    expect((await vote(user.token, second, 10000).expect(200)).body.vote.rshares).toBe((FULL_VOTE_COST - 50_000_000n).toString());

    await unlink(user.token);
    // Base mana as left 3 s ago, regenerated by 3 s — not a fresh bar.
    expect((await manaOf(user.token)).votingMana).toMatchObject({ current: (BASE - BASE / 50n + (BASE * 3n) / 432_000n).toString(), max: BASE.toString() });
  });
});
