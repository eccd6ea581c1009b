/**
 * steemd's integer square-root *approximation* (libraries/chain/util/reward.cpp `approx_sqrt`), used by
 * the HF21 convergent square-root curation curve. It is not an exact sqrt, and curation weights are only
 * consensus-compatible if it is reproduced bit for bit:
 *
 *   m = index of the highest set bit of x, k = m >> 1
 *   mantissa = bits of x below bit m, shifted right by (m − k)
 *   if m is odd, OR in 2^k; shift the result right by 1; OR with 2^k.
 *
 * Input is treated as an unsigned 128-bit value.
 */
const U128_MAX = (1n << 128n) - 1n;

function highestSetBit(x: bigint): bigint {
  return BigInt(x.toString(2).length - 1);
}

export function approxSqrt(x: bigint): bigint {
  if (x < 0n || x > U128_MAX) throw new RangeError(`approxSqrt: ${x} is outside u128`);
  if (x === 0n) return 0n;
  const msbX = highestSetBit(x);
  const msbZ = msbX >> 1n;
  const msbXBit = 1n << msbX;
  const msbZBit = 1n << msbZ;
  const mantissaX = x & (msbXBit - 1n);
  const mantissaZHi = (msbX & 1n) === 1n ? msbZBit : 0n;
  const mantissaZLo = mantissaX >> (msbX - msbZ);
  const mantissaZ = (mantissaZHi | mantissaZLo) >> 1n;
  return msbZBit | mantissaZ;
}
