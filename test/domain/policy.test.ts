import { buildRewardPolicy, DEFAULT_REWARD_POLICY, presentRewardPolicy } from '../../domain/rewards/policy';

describe('reward policy', () => {
  it('has the HF21 defaults and Inkwell-specific values', () => {
    const p = DEFAULT_REWARD_POLICY;
    expect(p).toMatchObject({
      payoutWindowSeconds: 604_800,
      rewardFundPerDay: 100_000n,
      baseStakeVests: 0n,
      contentConstant: 2_000_000_000_000n,
      curationPercent: 5_000,
      reverseAuctionSeconds: 300,
      voteDustRshares: 50_000_000n,
      payoutDustSteem: 20n,
      recentClaimsDecaySeconds: 1_296_000,
      manaRegenerationSeconds: 432_000,
      votePowerReserveRate: 10,
      downvotePoolPercent: 2_500,
      upvoteLockoutSeconds: 43_200,
      minVoteIntervalSeconds: 3,
      maxVoteChanges: 5,
      maxBeneficiaries: 8,
      initialRecentClaims: 1500n * 9_999_813_278n,
    });
    expect(p.policyVersion).toMatch(/^inkwell-hf21@[0-9a-f]{12}$/);
    expect(Object.isFrozen(p)).toBe(true);
  });

  it('accepts the config layer overrides as strings', () => {
    const p = buildRewardPolicy({ payoutWindowSeconds: '3600', rewardFundPerDay: '250.500 STEEM', baseStakeVests: '2000000.000000' });
    expect(p.payoutWindowSeconds).toBe(3_600);
    expect(p.rewardFundPerDay).toBe(250_500n);
    expect(p.baseStakeVests).toBe(2_000_000_000_000n);
    expect(buildRewardPolicy({ baseStakeVests: '1.000000 VESTS', rewardFundPerDay: '1.000' })).toMatchObject({ baseStakeVests: 1_000_000n, rewardFundPerDay: 1_000n });
  });

  it('changes the version whenever a value changes, and only then', () => {
    expect(buildRewardPolicy().policyVersion).toBe(DEFAULT_REWARD_POLICY.policyVersion);
    expect(buildRewardPolicy({ rewardFundPerDay: '100.000 STEEM' }).policyVersion).toBe(DEFAULT_REWARD_POLICY.policyVersion);
    expect(buildRewardPolicy({ rewardFundPerDay: '100.001 STEEM' }).policyVersion).not.toBe(DEFAULT_REWARD_POLICY.policyVersion);
    expect(buildRewardPolicy({ payoutDustSteem: 0n }).policyVersion).not.toBe(DEFAULT_REWARD_POLICY.policyVersion);
    expect(buildRewardPolicy({ label: 'staging' }).policyVersion).toMatch(/^staging@/);
  });

  it.each([
    [{ payoutWindowSeconds: 0 }, 'payoutWindowSeconds'],
    [{ payoutWindowSeconds: 1.5 }, 'payoutWindowSeconds'],
    [{ payoutWindowSeconds: 'a week' }, 'payoutWindowSeconds'],
    [{ rewardFundPerDay: '100 STEEM' }, 'rewardFundPerDay'],
    [{ rewardFundPerDay: '100.000 SBD' }, 'rewardFundPerDay'],
    [{ rewardFundPerDay: '-1.000 STEEM' }, 'rewardFundPerDay'],
    [{ baseStakeVests: '1000000' }, 'baseStakeVests'],
    [{ curationPercent: 10_001 }, 'curationPercent'],
    [{ maxBeneficiaries: 128 }, 'maxBeneficiaries'],
    [{ contentConstant: 0n }, 'contentConstant'],
    [{ notASetting: 1 }, 'notASetting'],
  ])('refuses %j naming %s', (overrides, field) => {
    expect(() => buildRewardPolicy(overrides as never)).toThrow(expect.objectContaining({ code: 'REWARD_POLICY_INVALID', field }));
  });

  it('presents bigints as strings, with asset strings for display', () => {
    const json = presentRewardPolicy(DEFAULT_REWARD_POLICY);
    expect(json.rewardFundPerDay).toBe('100000');
    expect(json.initialRecentClaims).toBe('14999719917000');
    expect(json.payoutWindowSeconds).toBe(604_800);
    expect(json.policyVersion).toBe(DEFAULT_REWARD_POLICY.policyVersion);
    expect(json.display).toEqual({
      rewardFundPerDay: '100.000 STEEM',
      baseStakeVests: '0.000000 VESTS',
      payoutDustSteem: '0.020 STEEM',
      maxAcceptedPayoutDefault: '1000000.000 STEEM',
    });
    expect(() => JSON.stringify(json)).not.toThrow();
  });
});
