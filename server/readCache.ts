import type { Clock } from './clock';

/**
 * Serialized anonymous read responses (article lists, single articles), keyed by path and query.
 * Every write that can change what a reader sees calls `invalidate()`, so an edit, vote or comment
 * made through this process is visible on the next read. Writes made by other processes (the payout
 * worker run alone) become visible within `ttlMs`.
 */
export class ReadCache {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();
  private generation = 0;

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 1000,
    private readonly maxEntries = 5000,
  ) {}

  get(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock.now().getTime()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Call before reading from the database; pass the result to `set`. */
  snapshot(): number {
    return this.generation;
  }

  /** Stores a response unless a write invalidated the cache while it was being computed. */
  set(key: string, value: string, generationAtRead: number): void {
    if (generationAtRead !== this.generation) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt: this.clock.now().getTime() + this.ttlMs });
  }

  invalidate(): void {
    this.generation += 1;
    this.entries.clear();
  }
}
