/** Every worked example of Steem's reward rules (docs/rewards.md), reproduced exactly. */
import { approxSqrt } from '../../domain/rewards/approxSqrt';
import { authorCurve } from '../../domain/rewards/curve';
import { curationCurve, curationWeight } from '../../domain/rewards/curationWeight';
import { STEEM_CONTENT_CONSTANT_HF21 } from '../../domain/rewards/constants';
import { DEFAULT_REWARD_POLICY as policy } from '../../domain/rewards/policy';
import { manaBasisPoints, regenerateMana, voteManaCost } from '../../domain/votes/mana';
import { voteRshares } from '../../domain/votes/rshares';
import { reputationDelta, reputationScore } from '../../domain/reputation/reputation';
import { parseVests } from '../../domain/money/asset';

const s = STEEM_CONTENT_CONSTANT_HF21;
const EV_1M = 1_000_000_000_000n;

describe('rshares of a vote: the full vote of 1,000,000 VESTS at full mana', () => {
  it('uses 20 000 000 000 mana and yields 19 950 000 000 rshares', () => {
    const used = voteManaCost({ weight: 10_000, votingMana: EV_1M, downvoteMana: EV_1M / 4n, policy });
    expect(used).toBe(20_000_000_000n);
    expect(voteRshares({ manaUsed: used, weight: 10_000, payoutAt: 604_800, now: 0, policy })).toBe(19_950_000_000n);
  });
  it('a full downvote with full bars also costs 2 % of EV', () => {
    expect(voteManaCost({ weight: -10_000, votingMana: EV_1M, downvoteMana: EV_1M / 4n, policy })).toBe(20_000_000_000n);
  });
});

describe('reward curve: convergent linear f(r) = r(r+2s)/(r+4s)', () => {
  it.each([
    [19_950_000_000n, 9_999_813_278n],
    [1_000_000_000_000n, 555_555_555_555n],
    [10_000_000_000_000n, 7_777_777_777_777n],
    [0n, 0n],
    [-1_000_000n, 0n],
  ])('f(%s) = %s', (r, expected) => {
    expect(authorCurve(r, s)).toBe(expected);
  });
  it('is about r/2 for small r and approaches r − 2s for large r', () => {
    expect(authorCurve(1_000_000n, s)).toBe(500_000n);
    const r = 10n ** 20n;
    expect(r - 2n * s - authorCurve(r, s)).toBeLessThan(2n * s);
  });
  it('uses u128-sized intermediates without overflow', () => {
    const r = (1n << 63n) - 1n;
    expect(authorCurve(r, s)).toBe((r * (r + 2n * s)) / (r + 4n * s));
  });
});

describe('curation weight: approx_sqrt and the curation curve', () => {
  it.each([
    [0n, 0n],
    [1n, 1n],
    [4n, 2n],
    [15n, 3n],
    [17n, 4n],
    [1_000_000n, 1_000n],
    [4_000_000_000_000n, 2_002_250n],
    [4_019_950_000_000n, 2_007_006n],
    [1_000_000_000_000_000_000n, 1_002_532_199n],
  ])('approx_sqrt(%s) = %s', (x, expected) => {
    expect(approxSqrt(x)).toBe(expected);
  });
  it('stays within ~6 % of the true square root across u128', () => {
    for (let bits = 1n; bits < 128n; bits += 7n) {
      const x = (1n << bits) + 12345n;
      const y = approxSqrt(x);
      expect(y * y).toBeLessThanOrEqual(x + x / 8n + 1n);
      expect(y * y * 9n).toBeGreaterThanOrEqual(x * 8n - 9n);
    }
  });
  it('refuses values outside u128', () => {
    expect(() => approxSqrt(-1n)).toThrow(RangeError);
    expect(() => approxSqrt(1n << 128n)).toThrow(RangeError);
  });
  it('g(19 950 000 000) = 9 940 for the first full vote', () => {
    expect(curationCurve(19_950_000_000n, s)).toBe(9_940n);
    expect(curationWeight({ voteRsharesBefore: 0n, rshares: 19_950_000_000n, secondsSinceCreated: 300 })).toEqual({
      raw: 9_940n,
      weight: 9_940n,
    });
  });
  it('discounts a vote inside the 5-minute reverse auction linearly', () => {
    const at = (t: number) => curationWeight({ voteRsharesBefore: 0n, rshares: 19_950_000_000n, secondsSinceCreated: t });
    expect(at(60)).toEqual({ raw: 9_940n, weight: 1_988n });
    expect(at(0).weight).toBe(0n);
    expect(at(10_000).weight).toBe(9_940n);
  });
  it('gives a later identical vote less weight (g is concave)', () => {
    const first = curationWeight({ voteRsharesBefore: 0n, rshares: 19_950_000_000n, secondsSinceCreated: 400 });
    const second = curationWeight({ voteRsharesBefore: 19_950_000_000n, rshares: 19_950_000_000n, secondsSinceCreated: 400 });
    expect(second.raw).toBeLessThan(first.raw);
    expect(first.raw + second.raw).toBe(curationCurve(39_900_000_000n, s));
  });
  it('gives non-positive votes no weight', () => {
    expect(curationWeight({ voteRsharesBefore: 10n, rshares: 0n, secondsSinceCreated: 400 })).toEqual({ raw: 0n, weight: 0n });
    expect(curationWeight({ voteRsharesBefore: 10n, rshares: -5n, secondsSinceCreated: 400 })).toEqual({ raw: 0n, weight: 0n });
  });
});

describe('reputation', () => {
  it.each([
    [95_832_978_796_820n, 69.83],
    [10n ** 12n, 52],
    [10n ** 15n, 79],
    [-(10n ** 12n), -2],
    [999_999_999n, 25],
    [-999_999_999n, 25],
    [0n, 25],
    [311_718_750n, 25],
  ])('raw %s displays as %s', (raw, score) => {
    expect(reputationScore(raw)).toBe(score);
  });
  it('one full vote adds 19 950 000 000 >> 6 = 311 718 750', () => {
    expect(reputationDelta({ voterReputation: 0n, authorReputation: 0n, oldRshares: null, newRshares: 19_950_000_000n })).toBe(311_718_750n);
  });
  it('voters with negative reputation have no effect', () => {
    expect(reputationDelta({ voterReputation: -1n, authorReputation: 0n, oldRshares: null, newRshares: 19_950_000_000n })).toBe(0n);
  });
  it('downvotes count only if voter_rep > author_rep, shifting toward −∞', () => {
    expect(reputationDelta({ voterReputation: 10n, authorReputation: 100n, oldRshares: null, newRshares: -6_400n })).toBe(0n);
    expect(reputationDelta({ voterReputation: 0n, authorReputation: 0n, oldRshares: null, newRshares: -6_400n })).toBe(0n);
    expect(reputationDelta({ voterReputation: 1_000n, authorReputation: 100n, oldRshares: null, newRshares: -65n })).toBe(-2n);
  });
  it('a changed vote first removes the old rshares, then adds the new', () => {
    expect(reputationDelta({ voterReputation: 0n, authorReputation: 0n, oldRshares: 6_400n, newRshares: 0n })).toBe(-100n);
    expect(reputationDelta({ voterReputation: 0n, authorReputation: 0n, oldRshares: 6_400n, newRshares: 12_800n })).toBe(100n);
  });
  it('a self-downvote never counts (voter_rep is never > own rep)', () => {
    expect(reputationDelta({ voterReputation: 500n, authorReputation: 500n, oldRshares: null, newRshares: -6_400n, selfVote: true })).toBe(0n);
  });
});

describe('dsteem test/rc.ts calculateVPMana fixture', () => {
  // EV = vesting 80241942 − delegated 60666472 + received 191002659 VESTS
  const ev = parseVests('80241942.000000 VESTS') - parseVests('60666472.000000 VESTS') + parseVests('191002659.000000 VESTS');
  const bar = { currentMana: 130_168_665_536_029n, lastUpdateTime: 1_700_000_000 };
  it('shows 6181 bp when the bar was just updated', () => {
    expect(manaBasisPoints(regenerateMana(bar, ev, 1_700_000_000, 432_000).currentMana, ev)).toBe(6181);
  });
  it('shows 10000 bp once last_update_time is old (1537064449)', () => {
    const old = { ...bar, lastUpdateTime: 1_537_064_449 };
    expect(manaBasisPoints(regenerateMana(old, ev, 1_700_000_000, 432_000).currentMana, ev)).toBe(10_000);
  });
});
