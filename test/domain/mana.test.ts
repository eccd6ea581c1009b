import { DEFAULT_REWARD_POLICY as policy } from '../../domain/rewards/policy';
import { downvoteManaMax, manaPercent, regenerateMana, spendVoteMana, voteManaCost } from '../../domain/votes/mana';
import { voteRshares } from '../../domain/votes/rshares';

const EV = 1_000_000_000_000n;
const bar = (currentMana: bigint, lastUpdateTime = 0) => ({ currentMana, lastUpdateTime });

describe('mana regeneration (docs/rewards.md, "Voting mana")', () => {
  it('regenerates linearly over five days', () => {
    expect(regenerateMana(bar(0n), EV, 43_200, 432_000).currentMana).toBe(100_000_000_000n);
    expect(regenerateMana(bar(0n), EV, 1, 432_000).currentMana).toBe(EV / 432_000n);
  });
  it('is capped at the maximum and Δt is capped at the period', () => {
    expect(regenerateMana(bar(990_000_000_000n), EV, 86_400, 432_000).currentMana).toBe(EV);
    expect(regenerateMana(bar(0n), EV, 10_000_000, 432_000)).toEqual(bar(EV, 10_000_000));
    // steemd caps Δt, so a negative bar is not full after 5 days
    expect(regenerateMana(bar(-10n), EV, 10_000_000, 432_000).currentMana).toBe(EV - 10n);
    expect(regenerateMana(bar(EV + 5n), EV, 1, 432_000).currentMana).toBe(EV);
  });
  it('ignores a clock going backwards', () => {
    expect(regenerateMana(bar(5n, 100), EV, 50, 432_000)).toEqual(bar(5n, 100));
  });
  it('the downvote bar is 25 % of EV', () => {
    expect(downvoteManaMax(EV, 2_500)).toBe(250_000_000_000n);
  });
  it('manaPercent shows two decimals', () => {
    expect(manaPercent(EV / 2n, EV)).toBe(50);
    expect(manaPercent(0n, 0n)).toBe(0);
  });
});

describe('vote cost (docs/rewards.md, "Voting mana", "Downvote mana")', () => {
  it('rounds up: a 1 bp vote of a tiny bar still costs 1', () => {
    expect(voteManaCost({ weight: 1, votingMana: 1_000n, downvoteMana: 0n, policy })).toBe(1n);
    expect(voteManaCost({ weight: 0, votingMana: EV, downvoteMana: 0n, policy })).toBe(0n);
  });
  it('upvote needs voting mana ≥ used and ≥ 0', () => {
    expect(spendVoteMana({ weight: 10_000, voting: bar(-1n), downvote: bar(EV), policy }).ok).toBe(false);
    const ok = spendVoteMana({ weight: 10_000, voting: bar(EV), downvote: bar(EV / 4n), policy });
    expect(ok).toMatchObject({ ok: true, used: 20_000_000_000n, voting: bar(EV - 20_000_000_000n), downvote: bar(EV / 4n) });
  });
  it('downvotes use downvote mana first, the overflow from voting mana', () => {
    const fromPool = spendVoteMana({ weight: -10_000, voting: bar(EV), downvote: bar(EV / 4n), policy });
    expect(fromPool).toMatchObject({ ok: true, used: 20_000_000_000n, downvote: bar(EV / 4n - 20_000_000_000n), voting: bar(EV) });
    const overflow = spendVoteMana({ weight: -10_000, voting: bar(EV), downvote: bar(5_000_000_000n), policy });
    // base = max(5e9·4, 1e12) = 1e12 → used 2e10: 5e9 from the pool, 1.5e10 from voting mana
    expect(overflow).toMatchObject({ ok: true, used: 20_000_000_000n, downvote: bar(0n), voting: bar(EV - 15_000_000_000n) });
  });
  it('downvote needs voting + downvote mana > used', () => {
    expect(spendVoteMana({ weight: -10_000, voting: bar(0n), downvote: bar(0n), policy })).toMatchObject({ ok: false, code: 'INSUFFICIENT_MANA' });
    expect(spendVoteMana({ weight: -10_000, voting: bar(0n), downvote: bar(1_000n), policy })).toMatchObject({ ok: true, used: 80n });
  });
});

describe('rshares (docs/rewards.md, "Rshares of a vote")', () => {
  const r = (manaUsed: bigint, weight: number, untilPayout: number) =>
    voteRshares({ manaUsed, weight, payoutAt: 1_000_000, now: 1_000_000 - untilPayout, policy });
  it('subtracts the vote dust and never goes below 0', () => {
    expect(r(50_000_001n, 10_000, 600_000)).toBe(1n);
    expect(r(50_000_000n, 10_000, 600_000)).toBe(0n);
    expect(r(10n, 10_000, 600_000)).toBe(0n);
  });
  it('carries the sign of the weight', () => {
    expect(r(20_000_000_000n, -10_000, 600_000)).toBe(-19_950_000_000n);
  });
  it('scales votes inside the last 12 hours, both signs', () => {
    expect(r(20_000_000_000n, 10_000, 43_200)).toBe(19_950_000_000n);
    expect(r(20_000_000_000n, 10_000, 21_600)).toBe(9_975_000_000n);
    expect(r(20_000_000_000n, -10_000, 21_600)).toBe(-9_975_000_000n);
    expect(r(20_000_000_000n, 10_000, 1)).toBe(461_805n);
    expect(r(20_000_000_000n, 10_000, 0)).toBe(0n);
  });
});
