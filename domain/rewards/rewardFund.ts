/**
 * Inkwell's reward fund (Steem's single "post" fund; docs/rewards.md, "Reward fund", "Recent claims"): a STEEM balance filled at the policy's
 * daily rate and the `recent_claims` every payout's share is measured against.
 *
 * Two clocks, because they are advanced by different rules:
 *  - `accruedUntil` + `accrualRemainder`: accrual. Crediting floor(rate·Δt/86400) at each step would
 *    lose up to one unit per step, so the remainder of rate·Δt mod 86400 (in unit·seconds) is carried
 *    exactly into the next step. After any sequence of steps the total credited equals
 *    floor(rate·(t − t₀)/86400) computed once from the fixed origin t₀ — no drift, however often the
 *    worker runs — and, unlike recomputing from a stored origin, a rate change takes effect only from
 *    the moment it happens.
 *  - `lastUpdate`: recent_claims decay (steemd process_comment_cashout step 1):
 *    claims −= claims·Δt / 1 296 000. steemd applies it every 3-second block; Inkwell applies it at each
 *    settlement, and clamps at 0 when Δt ≥ the decay period rather than going negative.
 */
import { mulDivFloor } from '../money/integer';
import type { SteemAmount } from '../money/asset';
import { SECONDS_PER_DAY } from './constants';
import type { RewardPolicy } from './policy';

export interface RewardFundState {
  /** STEEM units available to pay posts. */
  rewardBalance: SteemAmount;
  /** Sum of recently paid claims, decaying over 15 days. */
  recentClaims: bigint;
  /** Unix seconds recent_claims was last decayed. */
  lastUpdate: number;
  /** Unix seconds up to which accrual has been credited. */
  accruedUntil: number;
  /** rate·seconds not yet credited; always in [0, 86400). */
  accrualRemainder: bigint;
}

/** A new fund: empty balance, recent_claims seeded from the policy (as Steem seeded HF21). */
export function newRewardFund(policy: Pick<RewardPolicy, 'initialRecentClaims'>, now: number): RewardFundState {
  return { rewardBalance: 0n, recentClaims: policy.initialRecentClaims, lastUpdate: now, accruedUntil: now, accrualRemainder: 0n };
}

/** Credits the fund for the time since `accruedUntil` at `rewardFundPerDay`. Idempotent for the same `now`. */
export function accrueFund(
  fund: RewardFundState,
  now: number,
  policy: Pick<RewardPolicy, 'rewardFundPerDay'>,
): RewardFundState & { accrued: SteemAmount } {
  if (now <= fund.accruedUntil) return { ...fund, accrued: 0n };
  const numerator = policy.rewardFundPerDay * BigInt(now - fund.accruedUntil) + fund.accrualRemainder;
  const day = BigInt(SECONDS_PER_DAY);
  const accrued = numerator / day;
  return {
    ...fund,
    rewardBalance: fund.rewardBalance + accrued,
    accruedUntil: now,
    accrualRemainder: numerator % day,
    accrued,
  };
}

/** recent_claims decayed linearly to `now` (docs/rewards.md, "Recent claims"), never below 0. */
export function decayRecentClaims(
  fund: RewardFundState,
  now: number,
  policy: Pick<RewardPolicy, 'recentClaimsDecaySeconds'>,
): RewardFundState {
  if (now <= fund.lastUpdate) return fund;
  const elapsed = BigInt(now - fund.lastUpdate);
  const period = BigInt(policy.recentClaimsDecaySeconds);
  const decay = elapsed >= period ? fund.recentClaims : mulDivFloor(fund.recentClaims, elapsed, period);
  return { ...fund, recentClaims: fund.recentClaims - decay, lastUpdate: now };
}

/** Accrual then decay, as steemd's block does process_funds before process_comment_cashout. */
export function advanceFund(
  fund: RewardFundState,
  now: number,
  policy: Pick<RewardPolicy, 'rewardFundPerDay' | 'recentClaimsDecaySeconds'>,
): RewardFundState {
  const { accrued: _accrued, ...accrued } = accrueFund(fund, now, policy);
  return decayRecentClaims(accrued, now, policy);
}

/** Persistable JSON form (bigints as decimal strings). */
export interface RewardFundJson {
  rewardBalance: string;
  recentClaims: string;
  lastUpdate: number;
  accruedUntil: number;
  accrualRemainder: string;
}

export function fundToJson(fund: RewardFundState): RewardFundJson {
  return {
    rewardBalance: fund.rewardBalance.toString(),
    recentClaims: fund.recentClaims.toString(),
    lastUpdate: fund.lastUpdate,
    accruedUntil: fund.accruedUntil,
    accrualRemainder: fund.accrualRemainder.toString(),
  };
}

export function fundFromJson(json: RewardFundJson): RewardFundState {
  return {
    rewardBalance: BigInt(json.rewardBalance),
    recentClaims: BigInt(json.recentClaims),
    lastUpdate: json.lastUpdate,
    accruedUntil: json.accruedUntil,
    accrualRemainder: BigInt(json.accrualRemainder),
  };
}
