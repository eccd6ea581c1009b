/**
 * Voting mana and downvote mana (docs/rewards.md, "Voting mana", "Downvote mana"; steemd manabar.hpp, hf20_vote_evaluator).
 * All amounts are VESTS satoshis (0.000001 VESTS). The maximum of the voting bar is the voter's
 * effective vesting shares (EV); the downvote bar's maximum is EV · downvote_pool_percent / 10000.
 */
import { ceilDiv, maxBigInt, mulDivFloor } from '../money/integer';
import type { RewardPolicy } from '../rewards/policy';
import { STEEM_100_PERCENT, SECONDS_PER_DAY } from '../rewards/constants';

export interface Manabar {
  /** Mana at `lastUpdateTime`. May be negative in steemd (e.g. after a stake decrease). */
  currentMana: bigint;
  /** Unix seconds. */
  lastUpdateTime: number;
}

type ManaPolicy = Pick<RewardPolicy, 'manaRegenerationSeconds' | 'votePowerReserveRate' | 'downvotePoolPercent'>;

/**
 * The bar regenerated to `now` (steemd manabar::regenerate_mana): current + max·Δt/regen, with Δt
 * capped at the regeneration period and the result capped at max. A clock going backwards leaves the
 * bar unchanged (steemd asserts instead; a pure function should not throw on a skewed caller).
 */
export function regenerateMana(bar: Manabar, maxMana: bigint, now: number, regenerationSeconds: number): Manabar {
  if (now <= bar.lastUpdateTime) return bar;
  if (bar.currentMana >= maxMana) return { currentMana: maxMana, lastUpdateTime: now };
  const elapsed = Math.min(now - bar.lastUpdateTime, regenerationSeconds);
  const regenerated = mulDivFloor(maxBigInt(maxMana, 0n), BigInt(elapsed), BigInt(regenerationSeconds));
  const current = bar.currentMana + regenerated;
  return { currentMana: current > maxMana ? maxMana : current, lastUpdateTime: now };
}

/** Maximum of the downvote bar: EV · downvote_pool_percent / 10000 (HF22 rounding, u128). */
export function downvoteManaMax(effectiveVests: bigint, downvotePoolPercent: number): bigint {
  return mulDivFloor(maxBigInt(effectiveVests, 0n), BigInt(downvotePoolPercent), BigInt(STEEM_100_PERCENT));
}

/** Both bars of a voter regenerated to `now`. */
export function regenerateVoterMana(
  bars: { voting: Manabar; downvote: Manabar },
  effectiveVests: bigint,
  now: number,
  policy: ManaPolicy,
): { voting: Manabar; downvote: Manabar } {
  return {
    voting: regenerateMana(bars.voting, effectiveVests, now, policy.manaRegenerationSeconds),
    downvote: regenerateMana(
      bars.downvote,
      downvoteManaMax(effectiveVests, policy.downvotePoolPercent),
      now,
      policy.manaRegenerationSeconds,
    ),
  };
}

/**
 * Mana a vote of `weight` (−10000…10000) uses (docs/rewards.md, "Voting mana", "Downvote mana"):
 *   base = voting mana                                          (upvote)
 *   base = max(downvote mana · 10000 / pool%, voting mana)      (downvote, HF21/HF22)
 *   used = ceil( floor(base · |w| · 86400 / 10000) / (reserve_rate · 432000) )
 * so a 100 % vote uses 2 % of the base. Negative mana counts as 0 here (steemd refuses the vote).
 */
export function voteManaCost(props: {
  weight: number;
  votingMana: bigint;
  downvoteMana: bigint;
  policy: ManaPolicy;
}): bigint {
  const { weight, policy } = props;
  if (weight === 0) return 0n;
  const voting = maxBigInt(props.votingMana, 0n);
  const base =
    weight < 0 && policy.downvotePoolPercent > 0
      ? maxBigInt(
          mulDivFloor(maxBigInt(props.downvoteMana, 0n), BigInt(STEEM_100_PERCENT), BigInt(policy.downvotePoolPercent)),
          voting,
        )
      : voting;
  const scaled = (base * BigInt(Math.abs(weight)) * BigInt(SECONDS_PER_DAY)) / BigInt(STEEM_100_PERCENT);
  return ceilDiv(scaled, BigInt(policy.votePowerReserveRate) * BigInt(policy.manaRegenerationSeconds));
}

export type ManaSpend =
  | { ok: true; used: bigint; voting: Manabar; downvote: Manabar }
  | { ok: false; code: 'INSUFFICIENT_MANA'; message: string; used: bigint };

/**
 * Charges a vote to already-regenerated bars, with steemd's HF21 requirement checks:
 *  - every vote: voting mana ≥ 0 (HF21 `__3004`);
 *  - upvote: voting mana ≥ used;
 *  - downvote: voting + downvote mana > used, taken from downvote mana first and the overflow from
 *    voting mana (HF21 `__3336`).
 */
export function spendVoteMana(props: {
  weight: number;
  voting: Manabar;
  downvote: Manabar;
  policy: ManaPolicy;
}): ManaSpend {
  const { weight, voting, downvote, policy } = props;
  const used = voteManaCost({ weight, votingMana: voting.currentMana, downvoteMana: downvote.currentMana, policy });
  if (voting.currentMana < 0n) {
    return { ok: false, code: 'INSUFFICIENT_MANA', message: 'Account does not have enough mana to vote.', used };
  }
  if (weight < 0 && policy.downvotePoolPercent > 0) {
    if (voting.currentMana + downvote.currentMana <= used) {
      return {
        ok: false,
        code: 'INSUFFICIENT_MANA',
        message: `Account does not have enough mana to downvote. voting_mana: ${voting.currentMana} downvote_mana: ${downvote.currentMana} required_mana: ${used}`,
        used,
      };
    }
    const fromDownvote = used > downvote.currentMana ? maxBigInt(downvote.currentMana, 0n) : used;
    return {
      ok: true,
      used,
      downvote: { ...downvote, currentMana: downvote.currentMana - fromDownvote },
      voting: { ...voting, currentMana: voting.currentMana - (used - fromDownvote) },
    };
  }
  if (voting.currentMana < used) {
    return { ok: false, code: 'INSUFFICIENT_MANA', message: 'Account does not have enough mana to vote.', used };
  }
  return { ok: true, used, voting: { ...voting, currentMana: voting.currentMana - used }, downvote };
}

/** Mana as basis points of max (0…10000, floor), like dsteem's `percentage`; 0 for an empty bar. */
export function manaBasisPoints(currentMana: bigint, maxMana: bigint): number {
  if (maxMana <= 0n || currentMana <= 0n) return 0;
  const bp = (currentMana * BigInt(STEEM_100_PERCENT)) / maxMana;
  return Number(bp > 10_000n ? 10_000n : bp);
}

/** Mana as a percentage with two decimals (61.81 for 6181 bp), for display. */
export function manaPercent(currentMana: bigint, maxMana: bigint): number {
  return manaBasisPoints(currentMana, maxMana) / 100;
}
