/**
 * Voting mana (§2.2–2.4): a manabar of EV (effective vesting shares) that regenerates linearly over
 * five days; downvotes draw first on a separate pool of 25 % of EV. All amounts in VESTS satoshis.
 */
export interface Manabar {
  current: bigint;
  /** Unix seconds of the last update. */
  lastUpdate: number;
}

/** The bar at `now`: current + max·Δt/regen, capped at max (steemd manabar::regenerate_mana). */
export function regenerate(bar: Manabar, max: bigint, now: number, regenerationSeconds: number): Manabar {
  const elapsed = Math.max(0, now - bar.lastUpdate);
  if (elapsed >= regenerationSeconds) return { current: max, lastUpdate: now };
  const grown = bar.current + (max * BigInt(elapsed)) / BigInt(regenerationSeconds);
  return { current: grown > max ? max : grown, lastUpdate: now };
}

export function downvotePoolMax(stake: bigint, downvotePoolPercent: number): bigint {
  return (stake * BigInt(downvotePoolPercent)) / 10000n;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

/**
 * Mana a vote of |weight| uses: ceil(floor(base·|w|·86400/10000) / (reserveRate·regen)), where base
 * is the current voting mana, or for a downvote max(downvote mana·10000/poolPercent, voting mana).
 */
export function manaCost(props: {
  weight: number;
  votingMana: bigint;
  downvoteMana: bigint;
  downvotePoolPercent: number;
  votePowerReserveRate: number;
  regenerationSeconds: number;
}): bigint {
  const magnitude = BigInt(Math.abs(props.weight));
  const base =
    props.weight < 0
      ? maxOf((props.downvoteMana * 10000n) / BigInt(props.downvotePoolPercent), props.votingMana)
      : props.votingMana;
  const scaled = (base * magnitude * 86400n) / 10000n;
  return ceilDiv(scaled, BigInt(props.votePowerReserveRate * props.regenerationSeconds));
}

function maxOf(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

export function manaPercent(current: bigint, max: bigint): number {
  if (max <= 0n) return 0;
  return Number((current * 10000n) / max) / 100;
}
