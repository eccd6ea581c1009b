import { LRUCache } from 'lru-cache';
import type { Clock } from '../lib/clock';

export interface ReaderMemoOptions {
  /** How long a remembered value is used (writes by other processes appear within this). */
  ttlMs: number;
  /** Byte budget of the remembered values, by the estimate each is stored with (0: nothing is kept). */
  maxBytes: number;
}

interface Remembered {
  readonly value: unknown;
  readonly bytes: number;
  /** When it was computed (clock milliseconds). */
  readonly at: number;
}

/** Forgets remembered for running computations before those older than all of them are pruned. */
const FORGETS_PRUNED_AT = 1024;

/** One reader's remembered values, by key. */
type ReaderValues = Map<string, Remembered>;

/** What a reader's values count against the budget beyond their own estimates (the maps and keys around them). */
const READER_OVERHEAD_BYTES = 128;

/**
 * What a signed-in reader's cached reads look up about them (their session state and mutes, their
 * marks on one shared answer), remembered per reader for as long as the read cache keeps answers
 * (docs/architecture.md, "Shared answers"). The reader's own writes through this process `forget`
 * them at once, so a read after a write shows it; writes made in other processes appear within `ttlMs`,
 * as the shared answers' own do. Readers are dropped least recently used first within `maxBytes`.
 */
export class ReaderMemo {
  private readonly readers: LRUCache<string, ReaderValues>;
  /** Counts forgets; a computation notes the count when it starts, to tell whether its reader was forgotten since. */
  private forgets = 0;
  /** reader → the count at their last forget, kept while a computation started before it may still finish. */
  private readonly forgottenAt = new Map<string, number>();
  private readonly running = new Set<{ since: number; discarded: boolean }>();

  constructor(
    private readonly clock: Clock,
    private readonly options: ReaderMemoOptions,
  ) {
    this.readers = new LRUCache<string, ReaderValues>({
      maxSize: Math.max(1, options.maxBytes),
      sizeCalculation: (values, reader) => {
        let bytes = READER_OVERHEAD_BYTES + reader.length * 2;
        for (const [key, remembered] of values) bytes += key.length * 2 + remembered.bytes;
        return bytes;
      },
    });
  }

  /** `reader`'s value for `key`: remembered (for at most `ttlMs`), or computed by `compute` and remembered with its estimated size. */
  async remember<T>(reader: string, key: string, compute: () => Promise<T>, bytesOf: (value: T) => number): Promise<T> {
    return (await this.rememberEach(reader, [key], async () => [await compute()], bytesOf))[0]!;
  }

  /**
   * `reader`'s values for `keys`, in their order: those remembered (for at most `ttlMs`), and the rest
   * computed together by `compute` (given the missing keys, answering in their order) and remembered.
   */
  async rememberEach<T>(reader: string, keys: readonly string[], compute: (missing: string[]) => Promise<T[]>, bytesOf: (value: T) => number): Promise<T[]> {
    const now = this.clock.now().getTime();
    const known = this.readers.get(reader);
    const values = new Array<T>(keys.length);
    const missing: string[] = [];
    const missingAt: number[] = [];
    keys.forEach((key, i) => {
      const remembered = known?.get(key);
      if (remembered && now - remembered.at < this.options.ttlMs) values[i] = remembered.value as T;
      else {
        missing.push(key);
        missingAt.push(i);
      }
    });
    if (missing.length === 0) return values;
    const run = { since: this.forgets, discarded: false };
    this.running.add(run);
    try {
      const computed = await compute(missing);
      computed.forEach((value, j) => (values[missingAt[j]!] = value));
      if (this.options.maxBytes > 0 && !run.discarded && (this.forgottenAt.get(reader) ?? -1) < run.since) {
        const kept: ReaderValues = new Map();
        for (const [key, entry] of this.readers.get(reader) ?? []) if (now - entry.at < this.options.ttlMs) kept.set(key, entry);
        computed.forEach((value, j) => kept.set(missing[j]!, { value, bytes: bytesOf(value), at: now }));
        this.readers.set(reader, kept); // set anew, so its size is counted again
      }
      return values;
    } finally {
      this.running.delete(run);
      this.forgetSettled();
    }
  }

  /** Forgets everything remembered about `reader`, and keeps any value being computed for them from being kept. */
  forget(reader: string): void {
    this.forgets += 1;
    this.readers.delete(reader);
    if (this.running.size > 0) this.forgottenAt.set(reader, this.forgets);
  }

  /** Forgets kept for computations that have all finished: dropped, so the map stays small under steady load. */
  private forgetSettled(): void {
    if (this.running.size === 0) {
      this.forgottenAt.clear();
      return;
    }
    if (this.forgottenAt.size < FORGETS_PRUNED_AT) return;
    let oldest = this.forgets;
    for (const run of this.running) oldest = Math.min(oldest, run.since);
    for (const [reader, at] of this.forgottenAt) if (at <= oldest) this.forgottenAt.delete(reader);
  }

  /** Forgets every reader's values, and keeps every value being computed from being kept. */
  forgetAll(): void {
    this.forgets += 1;
    this.readers.clear();
    for (const run of this.running) run.discarded = true;
  }

  /** Bytes held, as counted against `maxBytes`. */
  get bytes(): number {
    return this.readers.calculatedSize;
  }
}
