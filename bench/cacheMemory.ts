import { load, seedArticles, type LoadResult } from './publishing';
import type { PlatformProcess } from './platformProcess';

export interface CacheMemoryResult {
  articles: number;
  urls: number;
  /** Resident memory (MiB) after seeding and a warm-up read, after the junk URLs, after the distinct URLs. */
  rssMiB: { baseline: number; afterJunk: number; afterDistinct: number; peak: number };
  junkSeconds: number;
  distinctSeconds: number;
  /** Anonymous read throughput of a cached list and a cached article (autocannon). */
  list: LoadResult;
  single: LoadResult;
}

/** `count` GETs of `paths(i)`, `concurrency` at a time; every answer must be 200. */
async function getAll(baseUrl: string, count: number, path: (i: number) => string, concurrency = 16): Promise<number> {
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const response = await fetch(`${baseUrl}${path(i)}`);
        if (response.status !== 200) throw new Error(`GET ${path(i)} answered ${response.status}`);
        await response.arrayBuffer();
      }
    }),
  );
  return (Date.now() - started) / 1000;
}

/**
 * The API process's memory while anonymous readers ask for `urls` distinct list URLs, twice: URLs
 * that differ only in a parameter the route ignores (`?limit=100&n=<i>`, the reported attack), then
 * URLs that are all distinct valid queries (`?limit=<1..100>&offset=<0..>`, answers of up to 100
 * articles each, well beyond the read cache's byte budget in total). Then the cached-read
 * throughput, to check the fast path (answered before routing) is kept.
 */
export async function cacheMemoryLoad(platform: PlatformProcess, options: { articles?: number; urls?: number; loadSeconds?: number } = {}): Promise<CacheMemoryResult> {
  const articles = options.articles ?? 300;
  const urls = options.urls ?? 5000;
  const loadSeconds = options.loadSeconds ?? 10;
  const slugs = await seedArticles(platform, articles, 5, 8);
  await getAll(platform.url, 50, () => '/api/articles?limit=100');
  const baseline = platform.rssMiB();
  const junkSeconds = await getAll(platform.url, urls, (i) => `/api/articles?limit=100&n=${i}`);
  const afterJunk = platform.rssMiB();
  const distinctSeconds = await getAll(platform.url, urls, (i) => `/api/articles?limit=${1 + (i % 100)}&offset=${Math.floor(i / 100)}`);
  const afterDistinct = platform.rssMiB();
  const one = `/api/articles/${slugs[slugs.length >> 1]}`;
  await load(platform.url, '/api/articles?limit=20', 3);
  const list = await load(platform.url, '/api/articles?limit=20', loadSeconds);
  await load(platform.url, one, 3);
  const single = await load(platform.url, one, loadSeconds);
  return { articles, urls, rssMiB: { baseline, afterJunk, afterDistinct, peak: platform.peakRssMiB() }, junkSeconds, distinctSeconds, list, single };
}
