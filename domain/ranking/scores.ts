/**
 * hivemind's ranking scores (docs/rewards.md, "Ranking"; hive/utils/post.py):
 *   score = sign · log10(max(|m|, 1)) + created_unix_seconds / T,   m = rshares / 10⁷
 * with sign = +1 if m > 0 else −1, T = 240 000 s for trending and 10 000 s for hot. `rshares` is the
 * sum of the post's votes' rshares. These are sort keys, so floats are fine (rshares are bigint in).
 */
export const TRENDING_TIMESCALE_SECONDS = 240_000;
export const HOT_TIMESCALE_SECONDS = 10_000;

export function rankingScore(rshares: bigint, createdUnixSeconds: number, timescaleSeconds: number): number {
  const m = Number(rshares) / 1e7;
  const sign = m > 0 ? 1 : -1;
  return sign * Math.log10(Math.max(Math.abs(m), 1)) + createdUnixSeconds / timescaleSeconds;
}

export function trendingScore(rshares: bigint, createdUnixSeconds: number): number {
  return rankingScore(rshares, createdUnixSeconds, TRENDING_TIMESCALE_SECONDS);
}

export function hotScore(rshares: bigint, createdUnixSeconds: number): number {
  return rankingScore(rshares, createdUnixSeconds, HOT_TIMESCALE_SECONDS);
}
