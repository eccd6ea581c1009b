import { approxSqrt } from '../../domain/rewards/approxSqrt';
import { authorCurve } from '../../domain/rewards/curve';
import { curationCurve, curationWeightOfVote } from '../../domain/rewards/curationWeight';
import { buildRewardPolicy, FULL_BASE_VOTE_RSHARES, STEEM_CONTENT_CONSTANT_HF21 } from '../../domain/rewards/policy';
import { manaCost, regenerate } from '../../domain/votes/mana';
import { voteRshares } from '../../domain/votes/rshares';
import { reputationDelta, reputationScore } from '../../domain/reputation/reputation';
import { formatAsset, parseAsset } from '../../domain/money/asset';

/** Every worked example of ../shared/steem-rewards.md, reproduced exactly. */
const s = STEEM_CONTENT_CONSTANT_HF21;

describe('§2.3 the full vote of 1,000,000 VESTS', () => {
  const policy = buildRewardPolicy();
  it('uses 20,000,000,000 mana and yields 19,950,000,000 rshares', () => {
    const used = manaCost({ weight: 10000, votingMana: 1_000_000_000_000n, downvoteMana: 0n, downvotePoolPercent: 2500, votePowerReserveRate: 10, regenerationSeconds: 432_000 });
    expect(used).toBe(20_000_000_000n);
    expect(voteRshares({ manaUsed: used, weight: 10000, voteDustThreshold: 50_000_000n, secondsUntilPayout: 604_800, upvoteLockoutSeconds: 43_200 })).toBe(19_950_000_000n);
    expect(FULL_BASE_VOTE_RSHARES).toBe(19_950_000_000n);
    expect(policy.baseStakeVests).toBe(1_000_000_000_000n);
  });
});

describe('§1.4 the convergent linear curve', () => {
  it.each([
    [19_950_000_000n, 9_999_813_278n],
    [1_000_000_000_000n, 555_555_555_555n],
    [10_000_000_000_000n, 7_777_777_777_777n],
    [0n, 0n],
    [-5n, 0n],
  ])('f(%s) = %s', (r, expected) => {
    expect(authorCurve(r, s)).toBe(expected);
  });
});

describe('§2.6 approx_sqrt and curation weight', () => {
  it.each([
    [0n, 0n],
    [4n, 2n],
    [15n, 3n],
    [17n, 4n],
    [1_000_000n, 1000n],
    [4_000_000_000_000n, 2_002_250n],
    [4_019_950_000_000n, 2_007_006n],
    [1_000_000_000_000_000_000n, 1_002_532_199n],
  ])('approx_sqrt(%s) = %s', (x, expected) => {
    expect(approxSqrt(x)).toBe(expected);
  });

  it('g(19 950 000 000) = 9 940 for the first full vote', () => {
    expect(curationCurve(19_950_000_000n, s)).toBe(9_940n);
    expect(curationWeightOfVote({ voteRsharesBefore: 0n, rshares: 19_950_000_000n, secondsSinceCreation: 300, reverseAuctionSeconds: 300, contentConstant: s })).toEqual({ raw: 9_940n, weight: 9_940n });
  });

  it('discounts votes inside the 5-minute reverse auction linearly', () => {
    expect(curationWeightOfVote({ voteRsharesBefore: 0n, rshares: 19_950_000_000n, secondsSinceCreation: 60, reverseAuctionSeconds: 300, contentConstant: s })).toEqual({ raw: 9_940n, weight: 1_988n });
    expect(curationWeightOfVote({ voteRsharesBefore: 0n, rshares: 19_950_000_000n, secondsSinceCreation: 0, reverseAuctionSeconds: 300, contentConstant: s }).weight).toBe(0n);
  });
});

describe('§3 reputation', () => {
  it.each([
    [95_832_978_796_820n, 69.83],
    [10n ** 12n, 52],
    [10n ** 15n, 79],
    [-(10n ** 12n), -2],
    [999_999_999n, 25],
    [0n, 25],
  ])('raw %s displays as %s', (raw, score) => {
    expect(reputationScore(raw)).toBe(score);
  });

  it('adds rshares >> 6 for the full vote and ignores voters with negative reputation', () => {
    expect(reputationDelta({ voterReputation: 0n, authorReputation: 0n, oldRshares: 0n, newRshares: 19_950_000_000n })).toBe(311_718_750n);
    expect(reputationScore(311_718_750n)).toBe(25);
    expect(reputationDelta({ voterReputation: -1n, authorReputation: 0n, oldRshares: 0n, newRshares: 19_950_000_000n })).toBe(0n);
  });

  it('counts a downvote only from a voter with more reputation than the author, shifting toward −∞', () => {
    expect(reputationDelta({ voterReputation: 10n, authorReputation: 100n, oldRshares: 0n, newRshares: -6400n })).toBe(0n);
    expect(reputationDelta({ voterReputation: 1000n, authorReputation: 100n, oldRshares: 0n, newRshares: -65n })).toBe(-2n);
    expect(reputationDelta({ voterReputation: 1000n, authorReputation: 100n, oldRshares: 6400n, newRshares: 0n })).toBe(-100n);
  });
});

describe('assets', () => {
  it.each([
    ['10.000 STEEM', 10_000n],
    ['0.001 STEEM', 1n],
    ['1000000.000000 VESTS', 1_000_000_000_000n],
    ['-100.333 SBD', -100_333n],
  ])('parses and formats %s', (text, amount) => {
    const asset = parseAsset(text);
    expect(asset.amount).toBe(amount);
    expect(formatAsset(asset.amount, asset.symbol)).toBe(text);
  });

  it.each(['1.23 STEEM', '1.2345 STEEM', '1 STEEM', '1.000 steem', '1e3 STEEM', '0.001 VESTS', ''])('refuses %j', (text) => {
    expect(() => parseAsset(text)).toThrow();
  });
});

describe('§2.2 mana regeneration', () => {
  it('regenerates linearly over five days and caps at the stake', () => {
    const max = 1_000_000_000_000n;
    expect(regenerate({ current: 0n, lastUpdate: 0 }, max, 43_200, 432_000).current).toBe(100_000_000_000n);
    expect(regenerate({ current: 900_000_000_000n, lastUpdate: 0 }, max, 432_000, 432_000).current).toBe(max);
    expect(regenerate({ current: 990_000_000_000n, lastUpdate: 0 }, max, 86_400, 432_000).current).toBe(max);
  });
});
