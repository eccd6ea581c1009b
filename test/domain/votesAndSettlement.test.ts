import fc from 'fast-check';
import { decideVote, type AcceptedVote, type ExistingVote, type VoterState } from '../../domain/votes/decideVote';
import { buildRewardPolicy } from '../../domain/rewards/policy';
import { bringFundForward, newRewardFund, type RewardFund } from '../../domain/rewards/rewardFund';
import { settleBatch, type SettlingPost } from '../../domain/rewards/settleBatch';
import { pendingPayout } from '../../domain/rewards/pendingPayout';
import { authorCurve } from '../../domain/rewards/curve';
import { hotScore, trendingScore } from '../../domain/ranking/scores';

const policy = buildRewardPolicy();
const STAKE = policy.baseStakeVests;
const fullVoter = (lastVoteTime: number | null = null): VoterState => ({
  stake: STAKE,
  votingMana: { current: STAKE, lastUpdate: 0 },
  downvoteMana: { current: STAKE / 4n, lastUpdate: 0 },
  lastVoteTime,
});
const post = { createdAt: 0, payoutAt: 604_800, allowVotes: true, allowCurationRewards: true, voteRshares: 0n };
const accepted = (decision: ReturnType<typeof decideVote>) => {
  if (!decision.ok) throw new Error(`refused: ${decision.code}`);
  return decision as AcceptedVote;
};

describe('decideVote', () => {
  it('accepts a first full upvote: 2 % of mana, 19.95e9 rshares, full curation weight after 5 minutes', () => {
    const vote = accepted(decideVote({ weight: 10000, existing: null, voter: fullVoter(), post, now: 600, policy }));
    expect(vote.manaUsed).toBe(20_000_000_000n);
    expect(vote.votingMana.current).toBe(STAKE - 20_000_000_000n);
    expect(vote.rshares).toBe(19_950_000_000n);
    expect(vote.curation).toEqual({ raw: 9_940n, weight: 9_940n });
    expect(vote).toMatchObject({ netRsharesDelta: 19_950_000_000n, voteRsharesDelta: 19_950_000_000n, totalVoteWeightDelta: 9_940n, changes: 0, lastVoteTime: 600 });
  });

  it.each([
    ['VOTE_AFTER_PAYOUT', { now: 604_800 }],
    ['VOTE_WEIGHT_ZERO', { weight: 0 }],
    ['VOTE_TOO_SOON', { voter: fullVoter(598) }],
    ['VOTES_NOT_ALLOWED', { post: { ...post, allowVotes: false } }],
    ['VOTE_IDENTICAL', { existing: { weight: 10000, rshares: 1n, rawCurationWeight: 0n, changes: 0 } }],
    ['VOTE_CHANGES_EXHAUSTED', { weight: 5000, existing: { weight: 10000, rshares: 1n, rawCurationWeight: 0n, changes: 5 } }],
    ['INSUFFICIENT_MANA', { weight: -10000, voter: { ...fullVoter(), votingMana: { current: 0n, lastUpdate: 600 }, downvoteMana: { current: 0n, lastUpdate: 600 } } }],
    ['INSUFFICIENT_MANA', { voter: { ...fullVoter(), votingMana: { current: -5n, lastUpdate: 600 } } }],
  ])('refuses with %s', (code, overrides) => {
    const decision = decideVote({ weight: 10000, existing: null, voter: fullVoter(), post, now: 600, policy, ...(overrides as object) });
    expect(decision).toMatchObject({ ok: false, code });
  });

  it('always allows removing a vote, even within 3 seconds, at no mana cost', () => {
    const existing: ExistingVote = { weight: 10000, rshares: 19_950_000_000n, rawCurationWeight: 9_940n, changes: 0 };
    const removal = accepted(decideVote({ weight: 0, existing, voter: fullVoter(599), post, now: 600, policy }));
    expect(removal).toMatchObject({ rshares: 0n, manaUsed: 0n, netRsharesDelta: -19_950_000_000n, voteRsharesDelta: -19_950_000_000n, totalVoteWeightDelta: -9_940n, changes: 1, lastVoteTime: 599 });
  });

  it('allows downvotes when upvotes are disabled and draws them from the downvote pool first', () => {
    const downvote = accepted(decideVote({ weight: -10000, existing: null, voter: fullVoter(), post: { ...post, allowVotes: false }, now: 600, policy }));
    expect(downvote.manaUsed).toBe(20_000_000_000n);
    expect(downvote.rshares).toBe(-19_950_000_000n);
    expect(downvote.downvoteMana.current).toBe(STAKE / 4n - 20_000_000_000n);
    expect(downvote.votingMana.current).toBe(STAKE);
    expect(downvote.curation.raw).toBe(0n);
  });

  it('takes the overflow of a downvote from voting mana', () => {
    const voter = { ...fullVoter(), downvoteMana: { current: 5_000_000_000n, lastUpdate: 600 } };
    const downvote = accepted(decideVote({ weight: -10000, existing: null, voter, post, now: 600, policy }));
    expect(downvote.downvoteMana.current).toBe(0n);
    expect(downvote.votingMana.current).toBe(STAKE - (downvote.manaUsed - 5_000_000_000n));
  });

  it('scales rshares inside the last 12 hours', () => {
    const late = accepted(decideVote({ weight: 10000, existing: null, voter: fullVoter(), post, now: 604_800 - 21_600, policy }));
    expect(late.rshares).toBe(19_950_000_000n / 2n);
  });

  it('allows exactly five changes, each charged in full, with no curation for changed votes', () => {
    let existing: ExistingVote | null = null;
    let voter = fullVoter();
    let now = 600;
    for (const weight of [10000, 5000, 10000, 2000, -1000, 3000]) {
      const vote = accepted(decideVote({ weight, existing, voter, post, now, policy }));
      if (existing) expect(vote.curation.raw).toBe(0n);
      existing = { weight, rshares: vote.rshares, rawCurationWeight: vote.curation.raw, changes: vote.changes };
      voter = { ...voter, votingMana: vote.votingMana, downvoteMana: vote.downvoteMana, lastVoteTime: vote.lastVoteTime };
      now += 3;
    }
    expect(existing!.changes).toBe(5);
    expect(decideVote({ weight: 4000, existing, voter, post, now, policy })).toMatchObject({ ok: false, code: 'VOTE_CHANGES_EXHAUSTED' });
  });
});

describe('the reward fund', () => {
  it('starts from initialRecentClaims = 1 500 full base votes of claims', () => {
    const fund = newRewardFund(policy, 0);
    expect(fund.recentClaims).toBe(1500n * authorCurve(19_950_000_000n, policy.contentConstant));
    expect(fund.rewardBalance).toBe(0n);
  });

  it('accrues the daily amount without drift however finely it is stepped, and decays claims over 15 days', () => {
    let stepped: RewardFund = newRewardFund(policy, 0);
    for (let t = 7; t <= 86_400; t += 7) stepped = bringFundForward(stepped, policy, t);
    stepped = bringFundForward(stepped, policy, 86_400);
    expect(stepped.rewardBalance).toBe(100_000n);
    const once = bringFundForward(newRewardFund(policy, 0), policy, 86_400);
    expect(once.rewardBalance).toBe(100_000n);
    const decayed = bringFundForward({ ...newRewardFund(policy, 0), recentClaims: 1_296_000n }, policy, 129_600);
    expect(decayed.recentClaims).toBe(1_296_000n - 129_600n);
  });
});

const settlingPost = (overrides: Partial<SettlingPost> = {}): SettlingPost => ({
  id: 'p1',
  author: 'alice',
  netRshares: 19_950_000_000n,
  totalVoteWeight: 9_940n,
  votes: [{ voter: 'bob', rshares: 19_950_000_000n, curationWeight: 9_940n }],
  beneficiaries: [],
  maxAcceptedPayout: policy.maxAcceptedPayout,
  percentLiquid: 10000,
  allowCurationRewards: true,
  ...overrides,
});
const funded: RewardFund = { rewardBalance: 1_000_000n, recentClaims: 10n * authorCurve(19_950_000_000n, policy.contentConstant), lastUpdate: 0, accrualOrigin: 0 };

describe('settleBatch', () => {
  it('pays one post: shared claims, 50 % curation, author split half liquid', () => {
    const result = settleBatch(funded, [settlingPost()], policy, 0);
    const claims = authorCurve(19_950_000_000n, policy.contentConstant);
    const payout = (1_000_000n * claims) / (11n * claims);
    const [settlement] = result.settlements;
    expect(settlement!.payout).toBe(payout);
    expect(settlement!.entries).toEqual([
      { recipient: 'alice', role: 'author', liquid: (payout - payout / 2n) / 2n, power: payout - payout / 2n - (payout - payout / 2n) / 2n },
      { recipient: 'bob', role: 'curator', liquid: 0n, power: payout / 2n },
    ]);
    expect(result.fundAfter.rewardBalance).toBe(1_000_000n - payout);
    expect(result.fundAfter.recentClaims).toBe(11n * claims);
  });

  it('pays nothing below the dust, nothing for declined posts (whose claims still dilute), and caps', () => {
    const tiny = settleBatch({ ...funded, rewardBalance: 100n }, [settlingPost()], policy, 0);
    expect(tiny.settlements[0]!.payout).toBe(0n);
    const declined = settleBatch(funded, [settlingPost({ maxAcceptedPayout: 0n }), settlingPost({ id: 'p2' })], policy, 0);
    expect(declined.settlements[0]!.payout).toBe(0n);
    expect(declined.settlements[0]!.entries).toEqual([]);
    expect(declined.snapshot.recentClaims).toBe(12n * authorCurve(19_950_000_000n, policy.contentConstant));
    const capped = settleBatch(funded, [settlingPost({ maxAcceptedPayout: 1_000n })], policy, 0);
    expect(capped.settlements[0]!.payout).toBe(1_000n);
    expect(capped.settlements[0]!.uncappedPayout).toBeGreaterThan(1_000n);
  });

  it('returns the curation share to the fund when curation is off, and pays beneficiaries from the author share', () => {
    const result = settleBatch(funded, [settlingPost({ allowCurationRewards: false, beneficiaries: [{ account: 'charity', weight: 2500 }], percentLiquid: 0 })], policy, 0);
    const s = result.settlements[0]!;
    const curation = s.payout / 2n;
    expect(s.returnedToFund).toBe(curation);
    const beneficiary = ((s.payout - curation) * 2500n) / 10000n;
    expect(s.entries).toEqual([
      { recipient: 'alice', role: 'author', liquid: 0n, power: s.payout - curation - beneficiary },
      { recipient: 'charity', role: 'beneficiary', liquid: 0n, power: beneficiary },
    ]);
    expect(result.fundAfter.rewardBalance).toBe(funded.rewardBalance - (s.payout - curation));
  });

  it('keeps the early-vote penalty in the fund', () => {
    const result = settleBatch(funded, [settlingPost({ votes: [{ voter: 'bob', rshares: 19_950_000_000n, curationWeight: 1_988n }] })], policy, 0);
    const s = result.settlements[0]!;
    const curation = s.payout / 2n;
    expect(s.entries.find((e) => e.role === 'curator')!.power).toBe((curation * 1_988n) / 9_940n);
    expect(s.returnedToFund).toBe(curation - (curation * 1_988n) / 9_940n);
  });

  it('settles posts with zero or negative rshares for nothing', () => {
    const result = settleBatch(funded, [settlingPost({ netRshares: 0n }), settlingPost({ id: 'p2', netRshares: -5_000_000_000n })], policy, 0);
    expect(result.settlements.map((s) => s.payout)).toEqual([0n, 0n]);
    expect(result.fundAfter.rewardBalance).toBe(funded.rewardBalance);
  });

  const arbitraryPost = fc.record({
    netRshares: fc.bigInt({ min: -(10n ** 12n), max: 10n ** 14n }),
    votes: fc.array(fc.record({ voter: fc.string({ minLength: 1, maxLength: 6 }), rshares: fc.bigInt({ min: 1n, max: 10n ** 13n }), curationWeight: fc.bigInt({ min: 0n, max: 10n ** 7n }) }), { maxLength: 12 }),
    extraWeight: fc.bigInt({ min: 0n, max: 10n ** 6n }),
    beneficiaryWeights: fc.array(fc.integer({ min: 0, max: 1250 }), { maxLength: 8 }),
    maxAcceptedPayout: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 10n ** 7n }), fc.constant(policy.maxAcceptedPayout)),
    percentLiquid: fc.integer({ min: 0, max: 10000 }),
    allowCurationRewards: fc.boolean(),
  });

  it('conserves every unit: author + curators + beneficiaries + returned = payout; the batch never overdraws the fund', () => {
    fc.assert(
      fc.property(fc.array(arbitraryPost, { minLength: 1, maxLength: 20 }), fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 18n }), (posts, balance, claims) => {
        const settling = posts.map((p, i): SettlingPost => ({
          id: `p${i}`,
          author: `author${i}`,
          netRshares: p.netRshares,
          votes: p.votes,
          totalVoteWeight: p.votes.reduce((sum, v) => sum + v.curationWeight, 0n) + p.extraWeight,
          beneficiaries: p.beneficiaryWeights.map((weight, j) => ({ account: `b${j}`, weight })),
          maxAcceptedPayout: p.maxAcceptedPayout,
          percentLiquid: p.percentLiquid,
          allowCurationRewards: p.allowCurationRewards,
        }));
        const fund: RewardFund = { rewardBalance: balance, recentClaims: claims, lastUpdate: 0, accrualOrigin: 0 };
        const result = settleBatch(fund, settling, policy, 0);
        let distributed = 0n;
        for (const s of result.settlements) {
          const paid = s.entries.reduce((sum, e) => sum + e.liquid + e.power, 0n);
          expect(paid + s.returnedToFund).toBe(s.payout);
          expect(s.entries.every((e) => e.liquid >= 0n && e.power >= 0n)).toBe(true);
          distributed += paid;
        }
        expect(distributed).toBe(result.distributed);
        expect(distributed <= balance).toBe(true);
        expect(result.fundAfter.rewardBalance).toBe(balance - distributed);
      }),
      { numRuns: 300 },
    );
  });
});

describe('pending payout and ranking', () => {
  it('estimates as condenser does: balance · f(net) / recent claims, split 50/50 with beneficiaries from the author half', () => {
    const estimate = pendingPayout({ netRshares: 19_950_000_000n, fund: funded, beneficiaries: [{ account: 'x', weight: 1000 }], declined: false, policy });
    expect(estimate.total).toBe(100_000n);
    expect(estimate).toEqual({ total: 100_000n, curators: 50_000n, beneficiaries: 5_000n, author: 45_000n });
    expect(pendingPayout({ netRshares: 19_950_000_000n, fund: funded, beneficiaries: [], declined: true, policy }).total).toBe(0n);
  });

  it('ranks ten times the rshares like 2.78 days (trending) or 2.78 hours (hot) of recency', () => {
    expect(trendingScore(10n ** 11n, 0) - trendingScore(10n ** 10n, 0)).toBeCloseTo(1);
    expect(trendingScore(10n ** 10n, 240_000)).toBeCloseTo(trendingScore(10n ** 11n, 0));
    expect(hotScore(10n ** 10n, 10_000)).toBeCloseTo(hotScore(10n ** 11n, 0));
    expect(trendingScore(-(10n ** 10n), 0)).toBeLessThan(0);
  });
});
