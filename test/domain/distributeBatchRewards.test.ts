import fc from 'fast-check';
import { authorCurve } from '../../domain/rewards/curve';
import { DEFAULT_REWARD_POLICY as policy, buildRewardPolicy } from '../../domain/rewards/policy';
import type { RewardFundState } from '../../domain/rewards/rewardFund';
import { distributeBatchRewards, SettlementInputError, type PostSettlement, type SettlementPost } from '../../domain/rewards/distributeBatchRewards';
import { validateBeneficiaries } from '../../domain/rewards/beneficiaries';

const NOW = 2_000_000;
const fund = (rewardBalance: bigint, recentClaims: bigint): RewardFundState => ({
  rewardBalance,
  recentClaims,
  lastUpdate: NOW,
  accruedUntil: NOW,
  accrualRemainder: 0n,
});
const R = 19_950_000_000n;
const basePost = (overrides: Partial<SettlementPost> = {}): SettlementPost => ({
  id: 'p1',
  author: 'alice',
  netRshares: R,
  totalVoteWeight: 9_940n,
  votes: [{ voter: 'bob', rshares: R, curationWeight: 9_940n }],
  beneficiaries: [],
  maxAcceptedPayout: policy.maxAcceptedPayoutDefault,
  percentLiquid: 10_000,
  allowCurationRewards: true,
  declinePayout: false,
  ...overrides,
});
const sumEntries = (s: PostSettlement) => s.entries.reduce((sum, e) => sum + e.liquid + e.power, 0n);
const CLAIMS = authorCurve(R, policy.contentConstant); // 9 999 813 278

describe('distributeBatchRewards: one post', () => {
  it('pays balance·claims/recent_claims, half to curators, PSD split for the author', () => {
    // recent claims = the post's own claims → the post takes the whole balance
    const result = distributeBatchRewards({ fund: fund(10_000n, 0n), policy, posts: [basePost()], now: NOW });
    const [s] = result.settlements;
    expect(s.claims).toBe(CLAIMS);
    expect(s.payout).toBe(10_000n);
    expect(s.curationTokens).toBe(5_000n);
    expect(s.entries).toEqual([
      { recipient: 'alice', role: 'author', liquid: 2_500n, power: 2_500n },
      { recipient: 'bob', role: 'curator', liquid: 0n, power: 5_000n },
    ]);
    expect(s.returnedToFund).toBe(0n);
    expect(result.fundAfter.rewardBalance).toBe(0n);
    expect(result.fundAfter.recentClaims).toBe(CLAIMS);
    expect(result.policyVersion).toBe(policy.policyVersion);
  });

  it('shares one STEEM-per-claim across the batch (claims added first)', () => {
    const posts = [basePost({ id: 'a' }), basePost({ id: 'b', author: 'carol' })];
    const result = distributeBatchRewards({ fund: fund(10_001n, 0n), policy, posts, now: NOW });
    expect(result.payoutBasis.recentClaims).toBe(2n * CLAIMS);
    expect(result.settlements.map((s) => s.payout)).toEqual([5_000n, 5_000n]);
    expect(result.fundAfter.rewardBalance).toBe(1n);
  });

  it('decays recent claims first', () => {
    const f = { ...fund(1_000_000n, 1_296_000_000_000n), lastUpdate: NOW - 648_000 };
    const result = distributeBatchRewards({ fund: f, policy, posts: [basePost()], now: NOW });
    expect(result.payoutBasis.recentClaims).toBe(648_000_000_000n + CLAIMS);
    expect(result.fundAfter.lastUpdate).toBe(NOW);
  });

  it('pays nothing for 0 or negative rshares, and adds no claims', () => {
    for (const netRshares of [0n, -R]) {
      const result = distributeBatchRewards({ fund: fund(10_000n, 5n), policy, posts: [basePost({ netRshares })], now: NOW });
      expect(result.settlements[0]).toMatchObject({ claims: 0n, payout: 0n, entries: [], outcome: 'no_claims' });
      expect(result.fundAfter).toMatchObject({ rewardBalance: 10_000n, recentClaims: 5n });
    }
  });

  it('zeroes a payout below the dust threshold (0.020 STEEM)', () => {
    const result = distributeBatchRewards({ fund: fund(19n, 0n), policy, posts: [basePost()], now: NOW });
    expect(result.settlements[0]).toMatchObject({ uncappedPayout: 19n, payout: 0n, outcome: 'dust', entries: [] });
    expect(result.fundAfter.rewardBalance).toBe(19n);
  });

  it('caps at max_accepted_payout, the rest stays in the fund', () => {
    const result = distributeBatchRewards({ fund: fund(10_000n, 0n), policy, posts: [basePost({ maxAcceptedPayout: 1_000n })], now: NOW });
    expect(result.settlements[0]).toMatchObject({ uncappedPayout: 10_000n, payout: 1_000n, outcome: 'capped', distributed: 1_000n });
    expect(result.fundAfter.rewardBalance).toBe(9_000n);
  });

  it('decline: author and curators get 0 but the claims still dilute the batch', () => {
    const posts = [basePost({ id: 'declined', declinePayout: true }), basePost({ id: 'paid', author: 'carol' })];
    const result = distributeBatchRewards({ fund: fund(10_000n, 0n), policy, posts, now: NOW });
    const [declined, paid] = result.settlements;
    expect(declined).toMatchObject({ claims: CLAIMS, uncappedPayout: 5_000n, payout: 0n, outcome: 'declined', entries: [] });
    expect(paid.payout).toBe(5_000n);
    expect(result.fundAfter.rewardBalance).toBe(5_000n);
    expect(result.fundAfter.recentClaims).toBe(2n * CLAIMS);
    // max_accepted_payout = 0 is the same decline
    const zeroCap = distributeBatchRewards({ fund: fund(10_000n, 0n), policy, posts: [basePost({ maxAcceptedPayout: 0n })], now: NOW });
    expect(zeroCap.settlements[0].outcome).toBe('declined');
  });

  it('returns the early-vote penalty and rounding to the fund (HF20)', () => {
    const post = basePost({
      totalVoteWeight: 9_940n + 3_000n,
      votes: [
        { voter: 'bob', rshares: R, curationWeight: 1_988n }, // voted at 60 s: 1/5 of 9 940
        { voter: 'dan', rshares: R, curationWeight: 3_000n },
      ],
    });
    const result = distributeBatchRewards({ fund: fund(10_000n, 0n), policy, posts: [post], now: NOW });
    const [s] = result.settlements;
    // curation 5 000: dan floor(5000·3000/12940) = 1159, bob floor(5000·1988/12940) = 768
    expect(s.entries.filter((e) => e.role === 'curator')).toEqual([
      { recipient: 'dan', role: 'curator', liquid: 0n, power: 1_159n },
      { recipient: 'bob', role: 'curator', liquid: 0n, power: 768n },
    ]);
    expect(s.returnedToFund).toBe(5_000n - 1_159n - 768n);
    expect(result.fundAfter.rewardBalance).toBe(s.returnedToFund);
  });

  it('allow_curation_rewards = false: the curation half stays in the fund', () => {
    const result = distributeBatchRewards({ fund: fund(10_000n, 0n), policy, posts: [basePost({ allowCurationRewards: false })], now: NOW });
    expect(result.settlements[0]).toMatchObject({ returnedToFund: 5_000n, distributed: 5_000n });
    expect(result.settlements[0].entries).toEqual([{ recipient: 'alice', role: 'author', liquid: 2_500n, power: 2_500n }]);
  });

  it('pays beneficiaries from the author share, split by PSD like the author', () => {
    const post = basePost({ beneficiaries: [{ account: 'app', weight: 1_000 }, { account: 'zed', weight: 2_500 }], percentLiquid: 5_000 });
    const [s] = distributeBatchRewards({ fund: fund(10_001n, 0n), policy, posts: [post], now: NOW }).settlements;
    // payout 10 001 → curation 5 000, author tokens 5 001; app 500, zed 1 250, alice 3 251
    expect(s.entries).toEqual([
      { recipient: 'alice', role: 'author', liquid: 812n, power: 2_439n },
      { recipient: 'app', role: 'beneficiary', liquid: 125n, power: 375n },
      { recipient: 'zed', role: 'beneficiary', liquid: 312n, power: 938n },
      { recipient: 'bob', role: 'curator', liquid: 0n, power: 5_000n },
    ]);
    expect(sumEntries(s) + s.returnedToFund).toBe(s.payout);
  });

  it('PSD 0 pays everything as power', () => {
    const [s] = distributeBatchRewards({ fund: fund(10_000n, 0n), policy, posts: [basePost({ percentLiquid: 0 })], now: NOW }).settlements;
    expect(s.entries[0]).toEqual({ recipient: 'alice', role: 'author', liquid: 0n, power: 5_000n });
  });

  it('the math handles 127 beneficiaries; the policy refuses more than 8', () => {
    const many = Array.from({ length: 127 }, (_, i) => ({ account: `b${String(i).padStart(3, '0')}`, weight: 78 }));
    const [s] = distributeBatchRewards({ fund: fund(1_000_000n, 0n), policy, posts: [basePost({ beneficiaries: many })], now: NOW }).settlements;
    expect(s.entries.filter((e) => e.role === 'beneficiary')).toHaveLength(127);
    expect(sumEntries(s) + s.returnedToFund).toBe(s.payout);
    expect(validateBeneficiaries(many, policy)).toMatchObject({ ok: false, code: 'BENEFICIARIES_TOO_MANY' });
    expect(validateBeneficiaries(many.slice(0, 8), policy)).toEqual({ ok: true });
    expect(validateBeneficiaries(many, buildRewardPolicy({ maxBeneficiaries: 127 }))).toEqual({ ok: true });
  });

  it('beneficiary validation names each rule', () => {
    expect(validateBeneficiaries([], policy)).toMatchObject({ code: 'BENEFICIARIES_EMPTY' });
    expect(validateBeneficiaries([{ account: 'b', weight: 1 }, { account: 'a', weight: 1 }], policy)).toMatchObject({ code: 'BENEFICIARIES_NOT_SORTED' });
    expect(validateBeneficiaries([{ account: 'a', weight: 1 }, { account: 'a', weight: 1 }], policy)).toMatchObject({ code: 'BENEFICIARIES_NOT_SORTED' });
    expect(validateBeneficiaries([{ account: 'a', weight: 6_000 }, { account: 'b', weight: 5_000 }], policy)).toMatchObject({ code: 'BENEFICIARIES_OVER_100_PERCENT' });
    expect(validateBeneficiaries([{ account: 'a', weight: 10_001 }], policy)).toMatchObject({ code: 'BENEFICIARY_WEIGHT_INVALID' });
  });

  it('refuses input that would break conservation', () => {
    const bad = (overrides: Partial<SettlementPost>) => () => distributeBatchRewards({ fund: fund(10_000n, 0n), policy, posts: [basePost(overrides)], now: NOW });
    expect(bad({ totalVoteWeight: 1n })).toThrow(SettlementInputError);
    expect(bad({ beneficiaries: [{ account: 'a', weight: 6_000 }, { account: 'b', weight: 5_000 }] })).toThrow(/10000/);
    expect(bad({ percentLiquid: 10_001 })).toThrow(/percentLiquid/);
    expect(() => distributeBatchRewards({ fund: fund(1n, 0n), policy, posts: [basePost(), basePost()], now: NOW })).toThrow(/twice/);
  });

  it('is deterministic: curators in weight-desc then voter order regardless of input order', () => {
    const votes = [
      { voter: 'c', rshares: 1n, curationWeight: 10n },
      { voter: 'a', rshares: 1n, curationWeight: 10n },
      { voter: 'b', rshares: 1n, curationWeight: 20n },
    ];
    const settle = (v: typeof votes) => distributeBatchRewards({ fund: fund(100_000n, 0n), policy, posts: [basePost({ votes: v, totalVoteWeight: 40n })], now: NOW });
    const order = settle(votes).settlements[0].entries.filter((e) => e.role === 'curator').map((e) => e.recipient);
    expect(order).toEqual(['b', 'a', 'c']);
    expect(settle([...votes].reverse()).settlements[0].entries).toEqual(settle(votes).settlements[0].entries);
  });
});

describe('distributeBatchRewards: conservation (property-based)', () => {
  const voteArb = fc.record({ voter: fc.string({ minLength: 1, maxLength: 6 }), rshares: fc.bigInt({ min: -(10n ** 13n), max: 10n ** 13n }), curationWeight: fc.bigInt({ min: 0n, max: 10n ** 7n }) });
  const beneficiaryArb = fc.array(fc.integer({ min: 0, max: 2_000 }), { maxLength: 12 });
  const postArb = fc.record({
    netRshares: fc.oneof(fc.bigInt({ min: -(10n ** 14n), max: 10n ** 15n }), fc.constant(0n), fc.bigInt({ min: 1n, max: 10n ** 9n })),
    votes: fc.uniqueArray(voteArb, { selector: (v) => v.voter, maxLength: 12 }),
    extraWeight: fc.bigInt({ min: 0n, max: 10n ** 7n }),
    beneficiaryWeights: beneficiaryArb,
    maxAcceptedPayout: fc.oneof(fc.constant(policy.maxAcceptedPayoutDefault), fc.bigInt({ min: 0n, max: 10n ** 7n })),
    percentLiquid: fc.integer({ min: 0, max: 10_000 }),
    allowCurationRewards: fc.boolean(),
    declinePayout: fc.boolean(),
  });
  const batchArb = fc.record({
    rewardBalance: fc.bigInt({ min: 0n, max: 10n ** 15n }),
    recentClaims: fc.bigInt({ min: 0n, max: 10n ** 18n }),
    elapsed: fc.integer({ min: 0, max: 2_000_000 }),
    posts: fc.array(postArb, { maxLength: 10 }),
  });

  it('author + curators + beneficiaries + returned = payout; Σ distributed ≤ balance; fund after = before − distributed', () => {
    fc.assert(
      fc.property(batchArb, (batch) => {
        const posts: SettlementPost[] = batch.posts.map((p, i) => {
          let remaining = 10_000;
          const beneficiaries = p.beneficiaryWeights.map((w, j) => {
            const weight = Math.min(w, remaining);
            remaining -= weight;
            return { account: `ben${j}`, weight };
          });
          return {
            id: `post${i}`,
            author: `author${i}`,
            netRshares: p.netRshares,
            totalVoteWeight: p.votes.reduce((sum, v) => sum + v.curationWeight, 0n) + p.extraWeight,
            votes: p.votes,
            beneficiaries,
            maxAcceptedPayout: p.maxAcceptedPayout,
            percentLiquid: p.percentLiquid,
            allowCurationRewards: p.allowCurationRewards,
            declinePayout: p.declinePayout,
          };
        });
        const before = { ...fund(batch.rewardBalance, batch.recentClaims), lastUpdate: NOW - batch.elapsed };
        const result = distributeBatchRewards({ fund: before, policy, posts, now: NOW });
        let distributed = 0n;
        for (const s of result.settlements) {
          for (const e of s.entries) {
            expect(e.liquid).toBeGreaterThanOrEqual(0n);
            expect(e.power).toBeGreaterThanOrEqual(0n);
          }
          expect(sumEntries(s) + s.returnedToFund).toBe(s.payout);
          expect(s.returnedToFund).toBeGreaterThanOrEqual(0n);
          expect(s.payout).toBeLessThanOrEqual(s.inputs.declinePayout ? 0n : s.inputs.maxAcceptedPayout);
          // dust is checked before the cap (steemd get_rshare_reward), so only an uncapped payout is ≥ dust
          if (s.payout > 0n && s.outcome !== 'capped') expect(s.payout).toBeGreaterThanOrEqual(policy.payoutDustSteem);
          distributed += s.distributed;
        }
        expect(distributed).toBe(result.totalDistributed);
        expect(result.totalPayout).toBeLessThanOrEqual(before.rewardBalance);
        expect(result.fundAfter.rewardBalance).toBe(before.rewardBalance - distributed);
        expect(result.fundAfter.rewardBalance).toBeGreaterThanOrEqual(0n);
      }),
      { numRuns: 300 },
    );
  });
});
