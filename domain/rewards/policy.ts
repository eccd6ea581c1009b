import { createHash } from 'node:crypto';
import { parseAsset } from '../money/asset';
import { authorCurve } from './curve';

/**
 * Every constant of Inkwell's reward rules in one versioned object. Settlements record the
 * version they used, so any payout can be recomputed from its receipt.
 */
export interface RewardPolicy {
  version: string;
  payoutWindowSeconds: number;
  /** STEEM (0.001 units) added to the reward fund per day, accrued continuously. */
  fundPerDay: bigint;
  /** Stake (VESTS, 0.000001 units) of an account with no linked Steem account. */
  baseStakeVests: bigint;
  /** s of the HF21 curves. */
  contentConstant: bigint;
  curationPercent: number;
  reverseAuctionSeconds: number;
  voteDustThreshold: bigint;
  /** A post payout below this (STEEM units) pays nothing: STEEM_MIN_PAYOUT_SBD, read 1 SBD = 1 STEEM. */
  payoutDust: bigint;
  recentClaimsDecaySeconds: number;
  manaRegenerationSeconds: number;
  votePowerReserveRate: number;
  downvotePoolPercent: number;
  upvoteLockoutSeconds: number;
  minVoteIntervalSeconds: number;
  maxVoteChanges: number;
  maxBeneficiaries: number;
  /** Default and ceiling of max_accepted_payout (STEEM units). */
  maxAcceptedPayout: bigint;
  /** recent_claims of a new fund, so the first posts do not take the whole balance. */
  initialRecentClaims: bigint;
}

export const STEEM_CONTENT_CONSTANT_HF21 = 2_000_000_000_000n;
/** The fact sheet's worked example: a full vote of 1,000,000 VESTS at full mana. */
export const FULL_BASE_VOTE_RSHARES = 19_950_000_000n;

type PolicyValues = Omit<RewardPolicy, 'version'>;

const DEFAULTS: PolicyValues = {
  payoutWindowSeconds: 7 * 24 * 3600,
  fundPerDay: 100_000n,
  baseStakeVests: 1_000_000_000_000n,
  contentConstant: STEEM_CONTENT_CONSTANT_HF21,
  curationPercent: 5000,
  reverseAuctionSeconds: 300,
  voteDustThreshold: 50_000_000n,
  payoutDust: 20n,
  recentClaimsDecaySeconds: 15 * 24 * 3600,
  manaRegenerationSeconds: 5 * 24 * 3600,
  votePowerReserveRate: 10,
  downvotePoolPercent: 2500,
  upvoteLockoutSeconds: 12 * 3600,
  minVoteIntervalSeconds: 3,
  maxVoteChanges: 5,
  maxBeneficiaries: 8,
  maxAcceptedPayout: 1_000_000_000n,
  // 100 full base-stake votes a day over the 15-day decay window.
  initialRecentClaims: 1500n * authorCurve(FULL_BASE_VOTE_RSHARES, STEEM_CONTENT_CONSTANT_HF21),
};

export interface PolicyOverrides {
  payoutWindowSeconds?: number;
  /** e.g. "100.000 STEEM" */
  fundPerDay?: string;
  /** e.g. "1000000.000000 VESTS" */
  baseStakeVests?: string;
}

export class PolicyError extends Error {
  override name = 'PolicyError';
}

/** The policy in force: defaults with the configured overrides, validated, with its version. */
export function buildRewardPolicy(overrides: PolicyOverrides = {}): RewardPolicy {
  const values: PolicyValues = { ...DEFAULTS };
  if (overrides.payoutWindowSeconds !== undefined) {
    if (!Number.isInteger(overrides.payoutWindowSeconds) || overrides.payoutWindowSeconds < 60) {
      throw new PolicyError('PAYOUT_WINDOW_SECONDS must be a whole number of seconds, at least 60');
    }
    values.payoutWindowSeconds = overrides.payoutWindowSeconds;
  }
  if (overrides.fundPerDay !== undefined) {
    const amount = parseAsset(overrides.fundPerDay, 'STEEM').amount;
    if (amount < 0n) throw new PolicyError('REWARD_FUND_PER_DAY must not be negative');
    values.fundPerDay = amount;
  }
  if (overrides.baseStakeVests !== undefined) {
    const amount = parseAsset(overrides.baseStakeVests, 'VESTS').amount;
    if (amount <= 0n) throw new PolicyError('BASE_STAKE_VESTS must be positive');
    values.baseStakeVests = amount;
  }
  return { ...values, version: policyVersion(values) };
}

function policyVersion(values: PolicyValues): string {
  const canonical = JSON.stringify(Object.entries(values).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, String(v)]));
  return `hf21-${createHash('sha256').update(canonical).digest('hex').slice(0, 10)}`;
}

/** The policy as JSON: integers as decimal strings, amounts also as asset strings. */
export function presentPolicy(policy: RewardPolicy): Record<string, unknown> {
  return Object.fromEntries(Object.entries(policy).map(([key, value]) => [key, typeof value === 'bigint' ? value.toString() : value]));
}
