/**
 * hivemind's ranking scores (§4.1): sign·log10(max(|rshares/10⁷|, 1)) + created/T, with
 * T = 240 000 s for trending and 10 000 s for hot. Sort keys, so floats are fine here.
 */
function score(rshares: bigint, createdUnixSeconds: number, timescale: number): number {
  const m = Number(rshares) / 1e7;
  const sign = m > 0 ? 1 : -1;
  return sign * Math.log10(Math.max(Math.abs(m), 1)) + createdUnixSeconds / timescale;
}

export const trendingScore = (rshares: bigint, createdUnixSeconds: number) => score(rshares, createdUnixSeconds, 240_000);
export const hotScore = (rshares: bigint, createdUnixSeconds: number) => score(rshares, createdUnixSeconds, 10_000);
