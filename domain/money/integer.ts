/**
 * Integer helpers for the reward math. Steemd computes rewards in unsigned 128/256-bit integers with
 * floor division; bigint gives us the same results without overflow, provided nothing goes negative
 * where steemd is unsigned (callers validate their inputs).
 */

/** floor(a·b / c) for non-negative a, b and positive c (steemd's `uint128(a) * b / c`). */
export function mulDivFloor(a: bigint, b: bigint, c: bigint): bigint {
  if (c <= 0n) throw new RangeError(`mulDivFloor: divisor must be positive, got ${c}`);
  const product = a * b;
  if (product < 0n) throw new RangeError('mulDivFloor: operands must be non-negative');
  return product / c;
}

/** ceil(a / b) for non-negative a and positive b (steemd's `(a + b − 1) / b`). */
export function ceilDiv(a: bigint, b: bigint): bigint {
  if (b <= 0n) throw new RangeError(`ceilDiv: divisor must be positive, got ${b}`);
  if (a < 0n) throw new RangeError('ceilDiv: dividend must be non-negative');
  return (a + b - 1n) / b;
}

export function minBigInt(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

export function maxBigInt(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

export function absBigInt(a: bigint): bigint {
  return a < 0n ? -a : a;
}

/** Throws unless `value` is a safe, non-negative integer number (seconds, basis points, counts). */
export function assertNonNegativeInteger(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}
