import { LRUCache } from 'lru-cache';
import type { Clock } from '../lib/clock';
import { ChangeLog } from './changeLog';

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
  /** Which readers were forgotten while values were being computed (a value computed across a forget is not kept). */
  private readonly forgets = new ChangeLog();

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
    const run = this.forgets.start();
    try {
      const computed = await compute(missing);
      computed.forEach((value, j) => (values[missingAt[j]!] = value));
      if (this.options.maxBytes > 0 && !this.forgets.changedSince(run, [reader])) {
        const kept: ReaderValues = new Map();
        for (const [key, entry] of this.readers.get(reader) ?? []) if (now - entry.at < this.options.ttlMs) kept.set(key, entry);
        computed.forEach((value, j) => kept.set(missing[j]!, { value, bytes: bytesOf(value), at: now }));
        this.readers.set(reader, kept); // set anew, so its size is counted again
      }
      return values;
    } finally {
      this.forgets.finish(run);
    }
  }

  /** Forgets everything remembered about `reader`, and keeps any value being computed for them from being kept. */
  forget(reader: string): void {
    this.forgets.change([reader]);
    this.readers.delete(reader);
  }

  /** Forgets every reader's values, and keeps every value being computed from being kept. */
  forgetAll(): void {
    this.forgets.changeEverything();
    this.readers.clear();
  }

  /** Bytes held, as counted against `maxBytes`. */
  get bytes(): number {
    return this.readers.calculatedSize;
  }
}
