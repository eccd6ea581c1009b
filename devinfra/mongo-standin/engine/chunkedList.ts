const MAX_CHUNK = 1024;

/**
 * A list kept as a sequence of small arrays, so inserting or removing in the middle moves at most
 * one chunk (instead of the whole list, as a single array's splice does). Indexes hold hundreds of
 * thousands of keys; with one flat array every write cost a memmove of all of them.
 */
export class ChunkedList<T> {
  private chunks: T[][] = [[]];
  /** starts[c] is the list index of chunks[c][0]. */
  private starts: number[] = [0];
  private count = 0;

  get size(): number {
    return this.count;
  }

  at(index: number): T | undefined {
    if (index < 0 || index >= this.count) return undefined;
    const c = this.chunkOf(index);
    return this.chunks[c]![index - this.starts[c]!];
  }

  insertAt(index: number, item: T): void {
    const c = index >= this.count ? this.chunks.length - 1 : this.chunkOf(index);
    const chunk = this.chunks[c]!;
    chunk.splice(index - this.starts[c]!, 0, item);
    this.count += 1;
    for (let k = c + 1; k < this.starts.length; k += 1) this.starts[k]! += 1;
    if (chunk.length > MAX_CHUNK) {
      this.chunks.splice(c + 1, 0, chunk.splice(chunk.length >> 1));
      this.starts.splice(c + 1, 0, this.starts[c]! + chunk.length);
    }
  }

  removeAt(index: number): void {
    if (index < 0 || index >= this.count) return;
    const c = this.chunkOf(index);
    const chunk = this.chunks[c]!;
    chunk.splice(index - this.starts[c]!, 1);
    this.count -= 1;
    for (let k = c + 1; k < this.starts.length; k += 1) this.starts[k]! -= 1;
    if (chunk.length === 0 && this.chunks.length > 1) {
      this.chunks.splice(c, 1);
      this.starts.splice(c, 1);
    }
  }

  /**
   * The first index in [lo, hi) whose item is not `before`, the items there being partitioned by it
   * (every `before` item first); hi when all are. Searches the chunks by their last items, then one
   * chunk, so each probe is a plain array read rather than an `at` (itself a search of the chunks).
   */
  partitionPoint(lo: number, hi: number, before: (item: T) => boolean): number {
    lo = Math.max(0, lo);
    hi = Math.min(this.count, hi);
    if (lo >= hi) return lo;
    let first = this.chunkOf(lo);
    let last = this.chunkOf(hi - 1);
    // Every chunk before `last` ends inside [lo, hi): its last item decides on which side the point lies.
    while (first < last) {
      const mid = (first + last) >> 1;
      const chunk = this.chunks[mid]!;
      if (before(chunk[chunk.length - 1]!)) first = mid + 1;
      else last = mid;
    }
    const chunk = this.chunks[first]!;
    const base = this.starts[first]!;
    let a = Math.max(lo, base) - base;
    let b = Math.min(hi, base + chunk.length) - base;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (before(chunk[mid]!)) a = mid + 1;
      else b = mid;
    }
    return base + a;
  }

  /** Items at [start, end), in order or reversed. */
  *slice(start: number, end: number, reverse = false): Generator<T> {
    start = Math.max(0, start);
    end = Math.min(this.count, end);
    if (start >= end) return;
    if (reverse) {
      for (let c = this.chunkOf(end - 1); c >= 0; c -= 1) {
        const chunk = this.chunks[c]!;
        const base = this.starts[c]!;
        for (let i = Math.min(chunk.length, end - base) - 1; i >= 0; i -= 1) {
          if (base + i < start) return;
          yield chunk[i]!;
        }
      }
      return;
    }
    for (let c = this.chunkOf(start); c < this.chunks.length; c += 1) {
      const chunk = this.chunks[c]!;
      const base = this.starts[c]!;
      for (let i = Math.max(0, start - base); i < chunk.length; i += 1) {
        if (base + i >= end) return;
        yield chunk[i]!;
      }
    }
  }

  /** The chunk holding list index `index` (0 <= index < size). */
  private chunkOf(index: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
