import type { Clock } from './clock';

interface Entry {
  body: Buffer;
  expiresAt: number;
}

/**
 * Serialized anonymous read responses (article lists, single articles), keyed by path and query.
 * Every write that can change what a reader sees calls `invalidate()`, so an edit, vote or comment
 * made through this process is visible on the next read. Writes made by other processes (the payout
 * worker run alone) become visible within `ttlMs`.
 *
 * Concurrent misses for one key share one computation: when an entry expires under load, one
 * request reads the database and the others wait for its answer instead of all reading at once.
 */
export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  private readonly computing = new Map<string, Promise<Buffer>>();
  private generation = 0;

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 1000,
    private readonly maxEntries = 5000,
  ) {}

  /** The cached response for `key`, if one is fresh. */
  cached(key: string): Buffer | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock.now().getTime()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.body;
  }

  /** The response for `key` as JSON bytes: cached, being computed, or computed now by `compute`. */
  async read(key: string, compute: () => Promise<unknown>): Promise<Buffer> {
    const cached = this.cached(key);
    if (cached) return cached;
    const inFlight = this.computing.get(key);
    if (inFlight) return inFlight;
    const generationAtRead = this.generation;
    const body = compute().then((value) => Buffer.from(JSON.stringify(value)));
    this.computing.set(key, body);
    try {
      const computed = await body;
      // A write that happened while this was computed may not be in it: answer, but do not keep it.
      if (generationAtRead === this.generation) this.store(key, computed);
      return computed;
    } finally {
      if (this.computing.get(key) === body) this.computing.delete(key);
    }
  }

  /** Forgets every response, and lets no read started before now answer a read that starts after. */
  invalidate(): void {
    this.generation += 1;
    this.entries.clear();
    this.computing.clear();
  }

  private store(key: string, body: Buffer): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { body, expiresAt: this.clock.now().getTime() + this.ttlMs });
  }
}
