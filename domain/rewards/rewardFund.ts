import type { RewardPolicy } from './policy';

/** Inkwell's reward fund (Steem's "post" fund): balance in STEEM units, claims in rshares. */
export interface RewardFund {
  rewardBalance: bigint;
  recentClaims: bigint;
  /** Unix seconds the fund was last brought forward. */
  lastUpdate: number;
  /** Unix seconds accrual started; accrual is measured from here so rounding never drifts. */
  accrualOrigin: number;
}

export function newRewardFund(policy: RewardPolicy, now: number): RewardFund {
  return { rewardBalance: 0n, recentClaims: policy.initialRecentClaims, lastUpdate: now, accrualOrigin: now };
}

/** STEEM accrued from the origin up to `at`, floored once: summing increments of it never drifts. */
function accruedSince(origin: number, at: number, perDay: bigint): bigint {
  return (perDay * BigInt(Math.max(0, at - origin))) / 86400n;
}

/**
 * The fund brought forward to `now`: the configured daily amount accrued continuously, and
 * recent_claims decayed linearly over 15 days (§1.3 step 1: claims − claims·Δt/decay).
 */
export function bringFundForward(fund: RewardFund, policy: RewardPolicy, now: number): RewardFund {
  if (now <= fund.lastUpdate) return fund;
  const accrued = accruedSince(fund.accrualOrigin, now, policy.fundPerDay) - accruedSince(fund.accrualOrigin, fund.lastUpdate, policy.fundPerDay);
  const elapsed = BigInt(now - fund.lastUpdate);
  const decayed = fund.recentClaims - (fund.recentClaims * elapsed) / BigInt(policy.recentClaimsDecaySeconds);
  return { ...fund, rewardBalance: fund.rewardBalance + accrued, recentClaims: decayed < 0n ? 0n : decayed, lastUpdate: now };
}
