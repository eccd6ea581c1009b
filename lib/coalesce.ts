import DataLoader from 'dataloader';

/**
 * A loader that merges the lookups made by concurrent requests into one query: keys asked for in
 * the same turn of the event loop (the requests read from the sockets together) are fetched by one
 * call of `fetch`. Nothing is cached between turns, so every lookup starts after it was asked for
 * and sees every write completed before it. At most `maxBatchSize` keys (1,000 unless told) go in
 * one call; more make further calls.
 */
export function coalescingLoader<K, V>(fetch: (keys: readonly K[]) => Promise<Map<K, V>>, options: { maxBatchSize?: number } = {}): DataLoader<K, V | undefined> {
  return new DataLoader<K, V | undefined>(
    async (keys) => {
      const found = await fetch(keys);
      return keys.map((key) => found.get(key));
    },
    { cache: false, batchScheduleFn: (run) => setImmediate(run), maxBatchSize: options.maxBatchSize ?? 1000 },
  );
}
