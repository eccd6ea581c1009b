/**
 * steemd's integer square-root *approximation* (util/reward.cpp approx_sqrt), reproduced bit for
 * bit because curation weights must match the chain's: keep the top bit's half-exponent and
 * shift the mantissa bits in below it.
 */
export function approxSqrt(x: bigint): bigint {
  if (x < 0n) throw new RangeError('approxSqrt of a negative number');
  if (x === 0n) return 0n;
  const msb = BigInt(x.toString(2).length - 1);
  const half = msb >> 1n;
  const mantissa = x & ((1n << msb) - 1n);
  let result = mantissa >> (msb - half);
  if (msb & 1n) result |= 1n << half;
  result >>= 1n;
  return result | (1n << half);
}
