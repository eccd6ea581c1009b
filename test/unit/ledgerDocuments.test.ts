import { Types } from 'mongoose';
import { buildLedgerDocuments, payoutSummary, resolveRecipient, type RecipientUser } from '../../commands/payouts/ledgerDocuments';
import { settlementPosts, votesByArticle, type ClaimedArticle, type VoteRow } from '../../commands/payouts/settlementInputs';
import { distributeBatchRewards, type RewardFundState } from '../../domain/rewards';
import { DEFAULT_REWARD_POLICY as policy } from '../../domain/rewards/policy';

const NOW = 2_000_000;
const R = 19_950_000_000n;
const fund: RewardFundState = { rewardBalance: 1_000_000n, recentClaims: 0n, lastUpdate: NOW, accruedUntil: NOW, accrualRemainder: 0n };

const alice = new Types.ObjectId();
const bob = new Types.ObjectId();
const carol = new Types.ObjectId(); // a voter whose user record is gone
const dave = new Types.ObjectId(); // linked to the beneficiary account "dave-steem"
const postA = new Types.ObjectId();
const postB = new Types.ObjectId();

const article = (id: Types.ObjectId, overrides: Partial<ClaimedArticle> = {}): ClaimedArticle => ({
  _id: id,
  slug: `slug-${id.toString().slice(-4)}`,
  author: alice,
  netRshares: R.toString(),
  totalVoteWeight: '20000',
  ...overrides,
});
const vote = (post: Types.ObjectId, voter: Types.ObjectId, rshares: bigint, curationWeight: bigint): VoteRow => ({
  article: post,
  voter,
  rshares: rshares.toString(),
  curationWeight: curationWeight.toString(),
});

const users: RecipientUser[] = [
  { _id: alice, username: 'alice', steemAccount: 'alice-steem' },
  { _id: bob, username: 'bob', steemAccount: null },
  { _id: dave, username: 'dave', steemAccount: 'dave-steem' },
];
const usersById = new Map(users.map((u) => [u._id.toString(), u]));
const usersByAccount = new Map([['dave-steem', users[2]!]]);

describe('settlementPosts', () => {
  it('groups votes by post in their order, drops votes that carry nothing, and fills unset options from the policy', () => {
    const articles = [article(postA), article(postB, { maxAcceptedPayout: '5000', percentLiquid: 0, allowCurationRewards: false, declinePayout: true, beneficiaries: [{ account: 'x', weight: 100 }] })];
    const votes = [vote(postA, bob, R, 10_000n), vote(postB, bob, 0n, 0n), vote(postA, carol, 5n, 0n), vote(postB, carol, 7n, 3n)];
    const [a, b] = settlementPosts(articles, votes, policy);
    expect(a).toMatchObject({
      id: postA.toString(),
      author: alice.toString(),
      netRshares: R,
      totalVoteWeight: 20_000n,
      beneficiaries: [],
      maxAcceptedPayout: policy.maxAcceptedPayoutDefault,
      percentLiquid: 10_000,
      allowCurationRewards: true,
      declinePayout: false,
    });
    expect(a!.votes).toEqual([
      { voter: bob.toString(), rshares: R, curationWeight: 10_000n },
      { voter: carol.toString(), rshares: 5n, curationWeight: 0n },
    ]);
    expect(b).toMatchObject({ maxAcceptedPayout: 5000n, percentLiquid: 0, allowCurationRewards: false, declinePayout: true, beneficiaries: [{ account: 'x', weight: 100 }] });
    expect(b!.votes).toEqual([{ voter: carol.toString(), rshares: 7n, curationWeight: 3n }]);
  });

  it('groups votes of many posts without losing any', () => {
    const votes = Array.from({ length: 50 }, (_, i) => vote(i % 2 ? postA : postB, bob, BigInt(i + 1), 1n));
    const grouped = votesByArticle(votes);
    expect(grouped.get(postA.toString())).toHaveLength(25);
    expect(grouped.get(postB.toString())!.map((v) => v.rshares)).toEqual(Array.from({ length: 25 }, (_, i) => String(2 * i + 1)));
  });
});

describe('resolveRecipient', () => {
  const context = { usersById, usersByAccount };
  it('pays authors and curators by user, with their linked account when they have one', () => {
    expect(resolveRecipient(context, 'author', alice.toString())).toEqual({ key: `u:${alice.toString()}`, user: alice, username: 'alice', steemAccount: 'alice-steem' });
    expect(resolveRecipient(context, 'curator', bob.toString())).toEqual({ key: `u:${bob.toString()}`, user: bob, username: 'bob', steemAccount: null });
  });
  it('pays a beneficiary as the user who linked the account, or else as the bare account', () => {
    expect(resolveRecipient(context, 'beneficiary', 'dave-steem')).toMatchObject({ key: `u:${dave.toString()}`, user: dave, username: 'dave' });
    expect(resolveRecipient(context, 'beneficiary', 'outsider')).toEqual({ key: '@outsider', user: null, username: null, steemAccount: 'outsider' });
  });
  it('keeps a share of a user whose record is gone, unclaimed under the id', () => {
    const recipient = resolveRecipient(context, 'curator', carol.toString());
    expect(recipient).toMatchObject({ key: `u:${carol.toString()}`, username: null, steemAccount: null });
    expect(recipient.user?.equals(carol)).toBe(true);
  });
});

describe('buildLedgerDocuments', () => {
  const articles = [
    article(postA, { beneficiaries: [{ account: 'dave-steem', weight: 1000 }, { account: 'outsider', weight: 500 }] }),
    article(postB, { percentLiquid: 5000 }),
  ];
  const votes = [vote(postA, bob, R / 2n, 10_000n), vote(postA, carol, R / 2n, 5_000n), vote(postB, bob, R, 20_000n)];
  const result = distributeBatchRewards({ fund, policy, posts: settlementPosts(articles, votes, policy), now: NOW });
  const slugs = new Map(articles.map((a) => [a._id.toString(), a.slug]));
  const writtenAt = new Date(NOW * 1000);
  const ledger = buildLedgerDocuments(result, { batchId: 'batch1', slugs, usersById, usersByAccount, writtenAt });
  const units = (rows: readonly { liquid: string; power: string }[]) => rows.reduce((sum, r) => sum + BigInt(r.liquid) + BigInt(r.power), 0n);

  it('writes one prepared settlement per post, its entries summing to what the post distributed', () => {
    expect(ledger.settlements.map((s) => s.article.toString())).toEqual([postA.toString(), postB.toString()]);
    for (const [i, settlement] of ledger.settlements.entries()) {
      expect(settlement).toMatchObject({ batch: 'batch1', status: 'prepared', slug: articles[i]!.slug, settledAt: writtenAt, policyVersion: result.policyVersion });
      expect(units(settlement.entries)).toBe(BigInt(settlement.distributed));
      expect(BigInt(settlement.distributed) + BigInt(settlement.returnedToFund)).toBe(BigInt(settlement.payout));
    }
    expect(ledger.settlements[0]!.inputs.votes.map((v) => v.username)).toEqual(['bob', null]);
    expect(ledger.settlements[0]!.fund).toEqual({ rewardBalance: result.payoutBasis.rewardBalance.toString(), recentClaims: result.payoutBasis.recentClaims.toString() });
  });

  it('pays each recipient once per batch, across posts, and conserves the batch total exactly', () => {
    const keys = ledger.payments.map((p) => p.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.every((key) => key.startsWith('batch1:'))).toBe(true);
    expect(units(ledger.payments)).toBe(result.totalDistributed);
    expect(result.totalDistributed).toBeGreaterThan(0n);
    const bobs = ledger.payments.find((p) => p.key === `batch1:u:${bob.toString()}`)!;
    expect(bobs.shares.map((s) => s.slug).sort()).toEqual(articles.map((a) => a.slug).sort());
    expect(units(bobs.shares)).toBe(BigInt(bobs.liquid) + BigInt(bobs.power));
  });

  it('links each share to its settlement, and leaves recipients without an account unclaimed (steemAccount null)', () => {
    const settlementOf = new Map(ledger.settlements.map((s) => [s.article.toString(), s._id.toString()]));
    for (const payment of ledger.payments) {
      expect(payment).toMatchObject({ batch: 'batch1', status: 'prepared', transaction: null, txId: null, createdAt: writtenAt, updatedAt: writtenAt });
      for (const share of payment.shares) expect(share.settlement?.toString()).toBe(settlementOf.get(share.article.toString()));
    }
    const byKey = new Map(ledger.payments.map((p) => [p.key, p]));
    expect(byKey.get(`batch1:u:${bob.toString()}`)!.steemAccount).toBeNull();
    expect(byKey.get(`batch1:u:${carol.toString()}`)!.steemAccount).toBeNull();
    expect(byKey.get('batch1:@outsider')).toMatchObject({ user: null, steemAccount: 'outsider' });
    expect(byKey.get(`batch1:u:${dave.toString()}`)).toMatchObject({ username: 'dave', steemAccount: 'dave-steem' });
  });
});

describe('buildLedgerDocuments with comments (post items settled with articles)', () => {
  const reply = new Types.ObjectId();
  const commentOf = { id: 42, article: postA };
  // A claimed comment: its article's slug, no payout options (the policy's defaults).
  const items = [article(postA), { ...article(reply, { author: bob, slug: article(postA).slug }), comment: commentOf }];
  const votes = [vote(postA, bob, R, 20_000n), vote(reply, alice, R / 2n, 10_000n), vote(reply, dave, R / 2n, 10_000n)];
  const posts = settlementPosts(items, votes, policy);
  const result = distributeBatchRewards({ fund, policy, posts, now: NOW });
  const slugs = new Map(items.map((a) => [a._id.toString(), a.slug]));
  const comments = new Map([[reply.toString(), commentOf]]);
  const ledger = buildLedgerDocuments(result, { batchId: 'batch2', slugs, comments, usersById, usersByAccount, writtenAt: new Date(NOW * 1000) });

  it('settles the comment like a post, from the same snapshot, naming the comment and its article', () => {
    expect(posts[1]).toMatchObject({ id: reply.toString(), author: bob.toString(), beneficiaries: [], maxAcceptedPayout: policy.maxAcceptedPayoutDefault, percentLiquid: 10_000 });
    const [onArticle, onComment] = ledger.settlements;
    expect(onArticle!.comment).toBeNull();
    expect(onComment).toMatchObject({ article: reply, comment: { id: 42, article: postA }, slug: onArticle!.slug, author: bob });
    expect(onComment!.fund).toEqual(onArticle!.fund);
    // Equal net rshares, one snapshot: the comment is paid what the article is.
    expect(onComment!.payout).toBe(onArticle!.payout);
    expect(BigInt(onComment!.payout)).toBeGreaterThan(0n);
  });

  it('pays a recipient (curator of the article, author of the comment) once, each share naming its item, and conserves the batch', () => {
    const bobs = ledger.payments.find((p) => p.key === `batch2:u:${bob.toString()}`)!;
    expect(bobs.shares.map((s) => [s.article.toString(), s.role, 'comment' in s ? s.comment : undefined])).toEqual(
      expect.arrayContaining([[postA.toString(), 'curator', undefined], [reply.toString(), 'author', 42]]),
    );
    expect(bobs.shares).toHaveLength(2);
    const units = (rows: readonly { liquid: string; power: string }[]) => rows.reduce((sum, r) => sum + BigInt(r.liquid) + BigInt(r.power), 0n);
    expect(units(ledger.payments)).toBe(result.totalDistributed);
    expect(ledger.settlements.reduce((sum, s) => sum + BigInt(s.distributed) + BigInt(s.returnedToFund), 0n)).toBe(result.totalPayout);
    expect(result.fundAfter.rewardBalance + result.totalDistributed).toBe(fund.rewardBalance);
  });
});

describe('payoutSummary', () => {
  it('totals what left the fund by role, and reports what went back', () => {
    const settledAt = new Date(0);
    const summary = payoutSummary({
      payout: '1000',
      returnedToFund: '7',
      settledAt,
      entries: [
        { role: 'author', liquid: '400', power: '100' },
        { role: 'beneficiary', liquid: '50', power: null },
        { role: 'curator', liquid: '0', power: '200' },
        { role: 'curator', power: '243' },
      ],
    });
    expect(summary).toEqual({ total: '993', author: '500', curators: '443', beneficiaries: '50', returnedToFund: '7', settledAt });
  });
});
