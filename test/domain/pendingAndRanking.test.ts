import fc from 'fast-check';
import { curationEstimate, pendingPayout } from '../../domain/rewards/pendingPayout';
import { DEFAULT_REWARD_POLICY as policy } from '../../domain/rewards/policy';
import { hotScore, trendingScore } from '../../domain/ranking/scores';
import { decideVote, type ExistingVote, type VoterState } from '../../domain/votes/voteRules';

const R = 19_950_000_000n;
const CLAIMS = 9_999_813_278n;

describe('pendingPayout (docs/rewards.md, "Pending payout estimate")', () => {
  it('is balance·f(net)/recent_claims, labelled an estimate, split like a settlement', () => {
    const estimate = pendingPayout({
      fund: { rewardBalance: 100_000_000n, recentClaims: 1500n * CLAIMS },
      policy,
      netRshares: R,
      beneficiaries: [{ account: 'app', weight: 1_000 }],
    });
    expect(estimate).toEqual({
      isEstimate: true,
      uncapped: 66_666n,
      total: 66_666n,
      curators: 33_333n,
      beneficiaries: [{ account: 'app', amount: 3_333n }],
      author: 30_000n,
    });
  });
  it('is 0 for no claims, empty fund claims or a declined post (steemd figure kept as uncapped)', () => {
    const fund = { rewardBalance: 1_000n, recentClaims: CLAIMS };
    expect(pendingPayout({ fund, policy, netRshares: -R }).total).toBe(0n);
    expect(pendingPayout({ fund: { ...fund, recentClaims: 0n }, policy, netRshares: R }).total).toBe(0n);
    expect(pendingPayout({ fund, policy, netRshares: R, declinePayout: true })).toMatchObject({ uncapped: 1_000n, total: 0n, author: 0n });
    expect(pendingPayout({ fund, policy, netRshares: R, maxAcceptedPayout: 10n }).total).toBe(10n);
  });
});

describe('curationEstimate', () => {
  const post = { netRshares: 0n, voteRshares: 0n, totalVoteWeight: 0n, createdAt: 0, allowCurationRewards: true };
  const fund = { rewardBalance: 100_000_000n, recentClaims: 1500n * CLAIMS };
  it('estimates the first full vote after the reverse auction', () => {
    const estimate = curationEstimate({ fund, policy, rshares: R, post, now: 600 });
    expect(estimate).toEqual({ isEstimate: true, rawWeight: 9_940n, weight: 9_940n, postPayout: 66_666n, reward: 33_333n });
  });
  it('earns a fifth at one minute, nothing without curation or for a downvote', () => {
    expect(curationEstimate({ fund, policy, rshares: R, post, now: 60 }).reward).toBe((33_333n * 1_988n) / 9_940n);
    expect(curationEstimate({ fund, policy, rshares: R, post: { ...post, allowCurationRewards: false }, now: 600 }).reward).toBe(0n);
    expect(curationEstimate({ fund, policy, rshares: -R, post, now: 600 }).reward).toBe(0n);
  });
});

describe('ranking scores (docs/rewards.md, "Ranking")', () => {
  it('trending: 10× rshares is worth 240 000 s of recency', () => {
    expect(trendingScore(10n ** 8n, 0)).toBeCloseTo(1, 12);
    expect(trendingScore(10n ** 9n, 0) - trendingScore(10n ** 8n, 0)).toBeCloseTo(1, 12);
    expect(trendingScore(0n, 240_000)).toBeCloseTo(1, 12);
  });
  it('hot: T = 10 000 s', () => {
    expect(hotScore(0n, 10_000)).toBeCloseTo(1, 12);
    expect(hotScore(10n ** 8n, 10_000)).toBeCloseTo(2, 12);
  });
  it('negative and tiny rshares', () => {
    expect(trendingScore(-(10n ** 8n), 0)).toBeCloseTo(-1, 12);
    expect(trendingScore(5n, 0)).toBeCloseTo(0, 12);
    expect(trendingScore(9_999_999n, 480_000)).toBeCloseTo(2, 12);
  });
});

describe('vote rules keep Σ curation weights ≤ total_vote_weight (property)', () => {
  it('over random vote/change sequences', () => {
    const step = fc.record({ voter: fc.integer({ min: 0, max: 5 }), weight: fc.integer({ min: -10_000, max: 10_000 }), dt: fc.integer({ min: 0, max: 3_600 }) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const voters = new Map<number, VoterState>();
        const votes = new Map<number, ExistingVote>();
        const postState = { createdAt: 0, payoutAt: 604_800, paid: false, allowVotes: true, allowCurationRewards: true, voteRshares: 0n };
        let total = 0n;
        let net = 0n;
        let now = 0;
        for (const s of steps) {
          now += s.dt;
          const voter = voters.get(s.voter) ?? {
            effectiveVests: 1_000_000_000_000n,
            votingManabar: { currentMana: 1_000_000_000_000n, lastUpdateTime: 0 },
            downvoteManabar: { currentMana: 1_000_000_000_000n / 4n, lastUpdateTime: 0 },
            lastVoteTime: null,
          };
          const decision = decideVote({ weight: s.weight, now, voter, post: postState, existingVote: votes.get(s.voter) ?? null, policy });
          if (!decision.ok) continue;
          voters.set(s.voter, { ...voter, votingManabar: decision.votingManabar, downvoteManabar: decision.downvoteManabar, lastVoteTime: decision.lastVoteTime });
          votes.set(s.voter, { weight: s.weight, rshares: decision.vote.rshares, curationWeight: decision.vote.curationWeight, changes: decision.vote.changes });
          total += decision.postDelta.totalVoteWeight;
          net += decision.postDelta.netRshares;
          postState.voteRshares += decision.postDelta.voteRshares;
          expect(decision.votingManabar.currentMana).toBeGreaterThanOrEqual(0n);
          expect(decision.downvoteManabar.currentMana).toBeGreaterThanOrEqual(0n);
        }
        const weights = [...votes.values()].reduce((sum, v) => sum + v.curationWeight, 0n);
        expect(weights).toBeLessThanOrEqual(total);
        expect(net).toBe([...votes.values()].reduce((sum, v) => sum + v.rshares, 0n));
      }),
      { numRuns: 200 },
    );
  });
});
