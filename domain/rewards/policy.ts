/**
 * The one versioned reward policy: every constant Inkwell's reward math uses, in one object. Each
 * settlement records `policyVersion`, so a payout can always be explained by the exact values it ran
 * with. The version is a hash of the canonical JSON of the values, so it changes whenever any value
 * changes — nobody has to remember to bump it.
 *
 * Defaults are steemd's HF21 consensus values (config.hpp), except where Inkwell has no Steem
 * equivalent (fund rate, base stake, payout dust in STEEM, initial recent claims) — see each field.
 */
import { createHash } from 'node:crypto';
import { formatSteem, formatVests, parseDecimalAmount, parseSteem, parseVests } from '../money/asset';
import { authorCurve } from './curve';
import {
  DEFAULT_MAX_ACCEPTED_PAYOUT,
  FULL_VOTE_RSHARES_AT_1M_VESTS,
  STEEM_100_PERCENT,
  STEEM_BENEFICIARY_LIMIT,
  STEEM_CASHOUT_WINDOW_SECONDS,
  STEEM_CONTENT_CONSTANT_HF21,
  STEEM_CURATION_PERCENT_HF21,
  STEEM_DOWNVOTE_POOL_PERCENT_HF21,
  STEEM_MAX_VOTE_CHANGES,
  STEEM_MIN_VOTE_INTERVAL_SEC,
  STEEM_RECENT_RSHARES_DECAY_TIME_HF19,
  STEEM_REDUCED_VOTE_POWER_RATE,
  STEEM_REVERSE_AUCTION_WINDOW_SECONDS_HF21,
  STEEM_UPVOTE_LOCKOUT_SECONDS,
  STEEM_VOTE_DUST_THRESHOLD,
  STEEM_VOTING_MANA_REGENERATION_SECONDS,
  STEEM_WITNESS_MAX_BENEFICIARIES,
} from './constants';

/** All tunable values; seconds/basis points/counts are integer numbers, amounts and rshares bigints. */
export interface RewardPolicyValues {
  /** Seconds from a post's creation to its single payout (STEEM_CASHOUT_WINDOW_SECONDS). */
  payoutWindowSeconds: number;
  /** STEEM (0.001 units) accrued into the reward fund per day, continuously. Inkwell-specific. */
  rewardFundPerDay: bigint;
  /**
   * Stake (VESTS, 0.000001 units) of an account with no linked Steem account. Inkwell-specific.
   * 0 by default: sign-ups are free, so their votes count as upvotes and favorites with zero rshares;
   * an operator may grant a base stake (closed communities, demos, tests).
   */
  baseStakeVests: bigint;
  /** `s` of the HF21 curves (STEEM_CONTENT_CONSTANT_HF21). */
  contentConstant: bigint;
  /** Curation share of a payout, basis points (50 % since HF21). */
  curationPercent: number;
  /** Early-vote penalty window (reverse_auction_seconds, 300 since HF21). */
  reverseAuctionSeconds: number;
  /** Subtracted from every vote's rshares (STEEM_VOTE_DUST_THRESHOLD, HF20+). */
  voteDustRshares: bigint;
  /**
   * A post payout below this many STEEM units pays 0. Steem's rule is STEEM_MIN_PAYOUT_SBD = 0.020 SBD
   * at the median feed price; Inkwell has no SBD price feed, so the threshold is stated in STEEM
   * directly (default 0.020 STEEM, i.e. treating 1 SBD ≈ 1 STEEM). Applied to the whole payout only,
   * exactly like steemd — individual curator/beneficiary shares are never dusted.
   */
  payoutDustSteem: bigint;
  /** recent_claims decay period (STEEM_RECENT_RSHARES_DECAY_TIME_HF19, 15 days). */
  recentClaimsDecaySeconds: number;
  /** Voting and downvote mana regeneration period (5 days). */
  manaRegenerationSeconds: number;
  /** vote_power_reserve_rate (10 since HF19): a full vote costs 1/(rate·5)·… = 2 % of current mana. */
  votePowerReserveRate: number;
  /** Downvote pool as basis points of stake (STEEM_DOWNVOTE_POOL_PERCENT_HF21). */
  downvotePoolPercent: number;
  /** Votes this close to payout are scaled down linearly (STEEM_UPVOTE_LOCKOUT_SECONDS). */
  upvoteLockoutSeconds: number;
  /** Minimum seconds between one voter's non-zero votes (STEEM_MIN_VOTE_INTERVAL_SEC). */
  minVoteIntervalSeconds: number;
  /** Vote changes allowed per (voter, post) (STEEM_MAX_VOTE_CHANGES). */
  maxVoteChanges: number;
  /** Beneficiaries per post: the witness plugin's soft limit of 8 (consensus allows 127). */
  maxBeneficiaries: number;
  /** Default and maximum max_accepted_payout, STEEM units (Steem: 1,000,000.000 SBD). */
  maxAcceptedPayoutDefault: bigint;
  /**
   * recent_claims of a brand-new fund. Steem seeded HF21 with a mainnet-sized value; Inkwell's default
   * is the claims of 1500 full votes at 1,000,000 VESTS (1500 × f(19 950 000 000)), so the first post
   * with a single vote takes ~1/1500 of the balance instead of all of it.
   */
  initialRecentClaims: bigint;
}

export interface RewardPolicy extends RewardPolicyValues {
  /** Human label, e.g. "inkwell-hf21". */
  label: string;
  /** `${label}@${12 hex of sha256(canonical JSON of the values)}`; changes whenever a value changes. */
  policyVersion: string;
}

export const DEFAULT_POLICY_LABEL = 'inkwell-hf21';

function defaultValues(contentConstant: bigint): RewardPolicyValues {
  return {
    payoutWindowSeconds: STEEM_CASHOUT_WINDOW_SECONDS,
    rewardFundPerDay: 100_000n,
    baseStakeVests: 0n,
    contentConstant,
    curationPercent: STEEM_CURATION_PERCENT_HF21,
    reverseAuctionSeconds: STEEM_REVERSE_AUCTION_WINDOW_SECONDS_HF21,
    voteDustRshares: STEEM_VOTE_DUST_THRESHOLD,
    payoutDustSteem: 20n,
    recentClaimsDecaySeconds: STEEM_RECENT_RSHARES_DECAY_TIME_HF19,
    manaRegenerationSeconds: STEEM_VOTING_MANA_REGENERATION_SECONDS,
    votePowerReserveRate: STEEM_REDUCED_VOTE_POWER_RATE,
    downvotePoolPercent: STEEM_DOWNVOTE_POOL_PERCENT_HF21,
    upvoteLockoutSeconds: STEEM_UPVOTE_LOCKOUT_SECONDS,
    minVoteIntervalSeconds: STEEM_MIN_VOTE_INTERVAL_SEC,
    maxVoteChanges: STEEM_MAX_VOTE_CHANGES,
    maxBeneficiaries: STEEM_WITNESS_MAX_BENEFICIARIES,
    maxAcceptedPayoutDefault: DEFAULT_MAX_ACCEPTED_PAYOUT,
    initialRecentClaims: 1500n * authorCurve(FULL_VOTE_RSHARES_AT_1M_VESTS, contentConstant),
  };
}

/** Raised for an invalid override; `field` names the offending key. Thrown at start-up by the config layer. */
export class RewardPolicyError extends Error {
  readonly code = 'REWARD_POLICY_INVALID';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`reward policy: ${field}: ${message}`);
    this.name = 'RewardPolicyError';
  }
}

/**
 * Overrides as the config layer has them. Amounts may be given as bigint (smallest unit) or as strings:
 * `rewardFundPerDay` "100.000 STEEM" (or "100.000"), `baseStakeVests` "1000000.000000" (or with
 * " VESTS"), `payoutDustSteem`/`maxAcceptedPayoutDefault` as STEEM strings. Integer fields accept
 * numbers or digit strings ("604800").
 */
export type RewardPolicyOverrides = {
  [K in keyof RewardPolicyValues]?: RewardPolicyValues[K] extends bigint ? bigint | string : number | string;
} & { label?: string };

type IntegerField = {
  [K in keyof RewardPolicyValues]: RewardPolicyValues[K] extends number ? K : never;
}[keyof RewardPolicyValues];
type AmountField = {
  [K in keyof RewardPolicyValues]: RewardPolicyValues[K] extends bigint ? K : never;
}[keyof RewardPolicyValues];

/** [min, max] bounds per integer field. */
const INTEGER_BOUNDS: Record<IntegerField, [number, number]> = {
  payoutWindowSeconds: [1, 10 * 365 * 86_400],
  curationPercent: [0, STEEM_100_PERCENT],
  reverseAuctionSeconds: [0, 86_400],
  recentClaimsDecaySeconds: [1, 10 * 365 * 86_400],
  manaRegenerationSeconds: [1, 10 * 365 * 86_400],
  votePowerReserveRate: [1, 10_000],
  downvotePoolPercent: [0, STEEM_100_PERCENT],
  upvoteLockoutSeconds: [0, 10 * 365 * 86_400],
  minVoteIntervalSeconds: [0, 86_400],
  maxVoteChanges: [0, 1_000],
  maxBeneficiaries: [0, STEEM_BENEFICIARY_LIMIT - 1],
};

/** How each amount field is written as a string, and whether 0 is allowed. */
const AMOUNT_FORMAT: Record<AmountField, { kind: 'STEEM' | 'VESTS' | 'integer'; allowZero: boolean }> = {
  rewardFundPerDay: { kind: 'STEEM', allowZero: true },
  baseStakeVests: { kind: 'VESTS', allowZero: true },
  contentConstant: { kind: 'integer', allowZero: false },
  voteDustRshares: { kind: 'integer', allowZero: true },
  payoutDustSteem: { kind: 'STEEM', allowZero: true },
  maxAcceptedPayoutDefault: { kind: 'STEEM', allowZero: true },
  initialRecentClaims: { kind: 'integer', allowZero: true },
};

function parseIntegerField(field: IntegerField, raw: number | string): number {
  const value = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new RewardPolicyError(field, `must be an integer, got ${JSON.stringify(raw)}`);
  }
  const [min, max] = INTEGER_BOUNDS[field];
  if (value < min || value > max) throw new RewardPolicyError(field, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function parseAmountField(field: AmountField, raw: bigint | string): bigint {
  const format = AMOUNT_FORMAT[field];
  let value: bigint;
  if (typeof raw === 'bigint') {
    value = raw;
  } else if (typeof raw === 'string') {
    const text = raw.trim();
    try {
      if (format.kind === 'STEEM') value = text.includes(' ') ? parseSteem(text) : parseDecimalAmount(text, 3);
      else if (format.kind === 'VESTS') value = text.includes(' ') ? parseVests(text) : parseDecimalAmount(text, 6);
      else if (/^\d+$/.test(text)) value = BigInt(text);
      else throw new Error(`"${raw}" is not a non-negative integer`);
    } catch (error) {
      throw new RewardPolicyError(field, (error as Error).message);
    }
  } else {
    throw new RewardPolicyError(field, `must be a bigint or a string, got ${typeof raw}`);
  }
  if (value < 0n || (!format.allowZero && value === 0n)) {
    throw new RewardPolicyError(field, `must be ${format.allowZero ? 'non-negative' : 'positive'}, got ${value}`);
  }
  return value;
}

function canonicalJson(values: RewardPolicyValues): string {
  const keys = Object.keys(values).sort() as (keyof RewardPolicyValues)[];
  return JSON.stringify(keys.map((key) => [key, String(values[key])]));
}

/**
 * Builds and validates the policy from overrides (unknown keys are refused so a typo cannot silently
 * fall back to a default). `initialRecentClaims` defaults to 1500 × f(19 950 000 000) under the
 * resolved content constant.
 */
export function buildRewardPolicy(overrides: RewardPolicyOverrides = {}): RewardPolicy {
  const contentConstant =
    overrides.contentConstant === undefined
      ? STEEM_CONTENT_CONSTANT_HF21
      : parseAmountField('contentConstant', overrides.contentConstant);
  const values = defaultValues(contentConstant);
  for (const [key, raw] of Object.entries(overrides)) {
    if (key === 'label' || raw === undefined) continue;
    if (key in INTEGER_BOUNDS) {
      (values as unknown as Record<string, number>)[key] = parseIntegerField(key as IntegerField, raw as number | string);
    } else if (key in AMOUNT_FORMAT) {
      (values as unknown as Record<string, bigint>)[key] = parseAmountField(key as AmountField, raw as bigint | string);
    } else {
      throw new RewardPolicyError(key, 'is not a reward policy setting');
    }
  }
  // No cross-field checks: a short development window (e.g. 3600 s) is legitimate; every vote then falls
  // inside the 12-hour lockout and is scaled, exactly as steemd would scale it.
  const label = overrides.label ?? DEFAULT_POLICY_LABEL;
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/i.test(label)) {
    throw new RewardPolicyError('label', 'must be 1–64 letters, digits, ".", "_" or "-"');
  }
  const hash = createHash('sha256').update(canonicalJson(values)).digest('hex').slice(0, 12);
  return Object.freeze({ ...values, label, policyVersion: `${label}@${hash}` });
}

/** The policy with every default. */
export const DEFAULT_REWARD_POLICY: RewardPolicy = buildRewardPolicy();

/** JSON shape of `GET /api/rewards/policy`: bigints as decimal strings of their smallest unit. */
export type RewardPolicyJson = {
  [K in keyof RewardPolicy]: RewardPolicy[K] extends bigint ? string : RewardPolicy[K];
} & {
  /** Human-readable asset strings for the amount fields. */
  display: { rewardFundPerDay: string; baseStakeVests: string; payoutDustSteem: string; maxAcceptedPayoutDefault: string };
};

export function presentRewardPolicy(policy: RewardPolicy): RewardPolicyJson {
  const json: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(policy)) json[key] = typeof value === 'bigint' ? value.toString() : value;
  json.display = {
    rewardFundPerDay: formatSteem(policy.rewardFundPerDay),
    baseStakeVests: formatVests(policy.baseStakeVests),
    payoutDustSteem: formatSteem(policy.payoutDustSteem),
    maxAcceptedPayoutDefault: formatSteem(policy.maxAcceptedPayoutDefault),
  };
  return json as RewardPolicyJson;
}

/** Alias of presentRewardPolicy. */
export const presentPolicy = presentRewardPolicy;
