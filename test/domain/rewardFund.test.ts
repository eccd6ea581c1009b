import fc from 'fast-check';
import { buildRewardPolicy, DEFAULT_REWARD_POLICY as policy } from '../../domain/rewards/policy';
import { accrueFund, advanceFund, decayRecentClaims, fundFromJson, fundToJson, newRewardFund } from '../../domain/rewards/rewardFund';

describe('reward fund', () => {
  it('starts empty with the policy initial recent claims', () => {
    expect(newRewardFund(policy, 1_000)).toEqual({ rewardBalance: 0n, recentClaims: 14_999_719_917_000n, lastUpdate: 1_000, accruedUntil: 1_000, accrualRemainder: 0n });
  });
  it('accrues 100.000 STEEM a day continuously', () => {
    const fund = newRewardFund(policy, 0);
    expect(accrueFund(fund, 86_400, policy).rewardBalance).toBe(100_000n);
    expect(accrueFund(fund, 43_200, policy).rewardBalance).toBe(50_000n);
    expect(accrueFund(fund, 1, policy)).toMatchObject({ rewardBalance: 1n, accrualRemainder: 13_600n, accrued: 1n });
    expect(accrueFund(fund, 0, policy).accrued).toBe(0n);
  });
  it('has no drift across many small steps', () => {
    let fund = newRewardFund(policy, 0);
    for (let t = 1; t <= 86_400; t += 1) {
      const { accrued: _accrued, ...next } = accrueFund(fund, t, policy);
      fund = next;
    }
    expect(fund.rewardBalance).toBe(100_000n);
    expect(fund.accrualRemainder).toBe(0n);
  });
  it('property: any sequence of steps credits exactly floor(rate·elapsed/86400)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100_000 }), { maxLength: 60 }), fc.bigInt({ min: 0n, max: 10n ** 12n }), (steps, rate) => {
        const p = buildRewardPolicy({ rewardFundPerDay: rate });
        let fund = newRewardFund(p, 0);
        let t = 0;
        for (const step of steps) {
          t += step;
          fund = accrueFund(fund, t, p);
        }
        expect(fund.rewardBalance).toBe((rate * BigInt(t)) / 86_400n);
      }),
    );
  });
  it('decays recent claims linearly over 15 days, never below 0', () => {
    const fund = { ...newRewardFund(policy, 0), recentClaims: 1_296_000_000n };
    expect(decayRecentClaims(fund, 1, policy).recentClaims).toBe(1_295_999_000n);
    expect(decayRecentClaims(fund, 648_000, policy).recentClaims).toBe(648_000_000n);
    expect(decayRecentClaims(fund, 10_000_000, policy).recentClaims).toBe(0n);
    expect(decayRecentClaims(fund, 0, policy)).toBe(fund);
  });
  it('advanceFund accrues and decays; round-trips through JSON', () => {
    const fund = advanceFund(newRewardFund(policy, 0), 129_600, policy);
    expect(fund.rewardBalance).toBe(150_000n);
    expect(fund.recentClaims).toBe(14_999_719_917_000n - (14_999_719_917_000n * 129_600n) / 1_296_000n);
    expect(fundFromJson(JSON.parse(JSON.stringify(fundToJson(fund))))).toEqual(fund);
  });
});
