import { ChunkedList } from './chunkedList';
import { compileFilter, type Matcher } from './matcher';
import { compareValues, hashKey, indexValuesAt, typeRank, type Doc } from './values';

export interface IndexSpec {
  name: string;
  key: Record<string, 1 | -1>;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Doc;
  expireAfterSeconds?: number;
}

/** Bounds on one field ($gt/$gte/$lt/$lte); a scan within them returns a superset of the matches. */
export interface FieldRange {
  lower?: { value: unknown; inclusive: boolean };
  upper?: { value: unknown; inclusive: boolean };
}

interface Entry {
  values: unknown[];
  id: string;
}

/**
 * One index: its entries kept sorted, in a chunked list, by key (in each field's direction), then by document, so an
 * equality prefix is a binary-searched range and an indexed sort is a walk in order.
 */
export class SecondaryIndex {
  readonly fields: string[];
  readonly directions: (1 | -1)[];
  private readonly entries = new ChunkedList<Entry>();
  private readonly partial?: Matcher;
  private readonly paths: string[][];
  /** The top-level fields this index's keys depend on (undefined: not known, e.g. a partial filter with $or). */
  private readonly inputs?: string[];
  /**
   * A unique index's documents by their whole key, for the keys made of scalars (`scalarKeyHash`):
   * an equality lookup on every field, and a uniqueness check, without searching the sorted entries.
   */
  private readonly byKey?: Map<string, string>;
  multikey = false;
  /** Per field: whether some document gave it several values (mongod's multikeyPaths). */
  readonly multikeyFields: boolean[];

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    this.directions = this.fields.map((field) => (spec.key[field]! < 0 ? -1 : 1));
    this.multikeyFields = this.fields.map(() => false);
    if (spec.partialFilterExpression) this.partial = compileFilter(spec.partialFilterExpression);
    this.paths = this.fields.map((field) => field.split('.'));
    const partialFields = Object.keys(spec.partialFilterExpression ?? {});
    this.inputs = partialFields.some((field) => field.startsWith('$'))
      ? undefined
      : [...new Set([...this.fields, ...partialFields].map((field) => field.split('.')[0]!))];
    if (spec.unique) this.byKey = new Map();
  }

  get size(): number {
    return this.entries.size;
  }

  /** The keys a document contributes (several for an array field; none if sparse/partial excludes it). */
  keysOf(doc: Doc): unknown[][] {
    if (this.partial && !this.partial(doc)) return [];
    const perField = this.paths.map((path) => indexValuesAt(doc, path));
    if (this.spec.sparse && perField.every((values) => values.every((v) => v === null || v === undefined))) return [];
    if (perField.every((values) => values.length === 1)) return [perField.map((values) => values[0])];
    this.multikey = true;
    perField.forEach((values, i) => {
      if (values.length !== 1) this.multikeyFields[i] = true;
    });
    let keys: unknown[][] = [[]];
    for (const values of perField) keys = keys.flatMap((prefix) => values.map((value) => [...prefix, value]));
    return dedupeKeys(keys);
  }

  private compareKeys(a: unknown[], b: unknown[]): number {
    for (let i = 0; i < this.fields.length; i += 1) {
      const c = compareValues(a[i], b[i]) * this.directions[i]!;
      if (c !== 0) return c;
    }
    return 0;
  }

  private compareEntries(a: Entry, b: Entry): number {
    return this.compareKeys(a.values, b.values) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  }

  private lowerBound(probe: Entry): number {
    const size = this.entries.size;
    // Keys that grow with every write (new ObjectIds, timestamps) go after the last: one comparison, not a search.
    if (size > 0 && this.compareEntries(this.entries.at(size - 1)!, probe) < 0) return size;
    return this.firstNotBefore(0, size, (entry) => this.compareEntries(entry, probe) < 0);
  }

  add(id: string, doc: Doc): void {
    this.addKeys(id, this.keysOf(doc));
  }

  remove(id: string, doc: Doc): void {
    this.removeKeys(id, this.keysOf(doc));
  }

  /** Moves a document's keys from `before` to `after`; nothing to do when its keys are unchanged. */
  update(id: string, before: Doc, after: Doc): void {
    if (this.untouched(before, after)) return;
    const oldKeys = this.keysOf(before);
    const newKeys = this.keysOf(after);
    if (sameKeys(oldKeys, newKeys)) return;
    this.removeKeys(id, oldKeys);
    this.addKeys(id, newKeys);
  }

  /** Whether this index's keys differ between two versions of a document. */
  keysChange(before: Doc, after: Doc): boolean {
    return !this.untouched(before, after) && !sameKeys(this.keysOf(before), this.keysOf(after));
  }

  /**
   * True when every field the keys depend on holds the very same value in both versions: updates
   * copy on write, so a field left alone keeps its value object and its keys cannot have changed.
   */
  private untouched(before: Doc, after: Doc): boolean {
    return this.inputs !== undefined && this.inputs.every((field) => before[field] === after[field]);
  }

  private addKeys(id: string, keys: unknown[][]): void {
    for (const values of keys) {
      const entry = { values, id };
      this.entries.insertAt(this.lowerBound(entry), entry);
      const hash = this.byKey && scalarKeyHash(values);
      if (hash !== undefined) this.byKey!.set(hash, id);
    }
  }

  private removeKeys(id: string, keys: unknown[][]): void {
    for (const values of keys) {
      const at = this.lowerBound({ values, id });
      const found = this.entries.at(at);
      if (found && found.id === id && this.compareKeys(found.values, values) === 0) this.entries.removeAt(at);
      const hash = this.byKey && scalarKeyHash(values);
      if (hash !== undefined && this.byKey!.get(hash) === id) this.byKey!.delete(hash);
    }
  }

  /** Another document holding one of these keys, if any (for unique checks). */
  conflictingKey(keys: unknown[][], ignoreId?: string): unknown[] | undefined {
    for (const values of keys) {
      for (const id of this.idsWithPrefix(values)) {
        if (id !== ignoreId) return values;
      }
    }
    return undefined;
  }

  /**
   * Document ids whose key starts with `prefix` (equal on the first prefix.length fields), in index
   * order; with a range, only those whose next field lies within it.
   */
  *idsWithPrefix(prefix: unknown[], reverse = false, range?: FieldRange): Generator<string> {
    const hash = this.byKey && !range && prefix.length === this.fields.length ? scalarKeyHash(prefix) : undefined;
    if (hash !== undefined) {
      // A whole key of a unique index: at most one document, found by its hash.
      const id = this.byKey!.get(hash);
      if (id !== undefined) yield id;
      return;
    }
    let [start, end] = this.prefixRange(prefix);
    if (range) [start, end] = this.narrowToRange(start, end, prefix.length, range);
    for (const entry of this.entries.slice(start, end, reverse)) yield entry.id;
  }

  private narrowToRange(start: number, end: number, field: number, range: FieldRange): [number, number] {
    const direction = this.directions[field]!;
    // In index order: compared with a bound, negative means the entry comes before it.
    const position = (entry: Entry, value: unknown) => compareValues(entry.values[field], value) * direction;
    const first = direction === 1 ? range.lower : range.upper;
    const last = direction === 1 ? range.upper : range.lower;
    if (first) start = this.firstNotBefore(start, end, (entry) => (first.inclusive ? position(entry, first.value) < 0 : position(entry, first.value) <= 0));
    if (last) end = this.firstNotBefore(start, end, (entry) => (last.inclusive ? position(entry, last.value) <= 0 : position(entry, last.value) < 0));
    return [start, Math.max(start, end)];
  }

  /** The first position in [lo, hi) whose entry is not `before` (entries are partitioned by it). */
  private firstNotBefore(lo: number, hi: number, before: (entry: Entry) => boolean): number {
    return this.entries.partitionPoint(lo, hi, before);
  }

  private prefixRange(prefix: unknown[]): [number, number] {
    const comparePrefix = (entry: Entry) => {
      for (let i = 0; i < prefix.length; i += 1) {
        const c = compareValues(entry.values[i], prefix[i]) * this.directions[i]!;
        if (c !== 0) return c;
      }
      return 0;
    };
    const start = this.firstNotBefore(0, this.entries.size, (entry) => comparePrefix(entry) < 0);
    return [start, this.firstNotBefore(start, this.entries.size, (entry) => comparePrefix(entry) <= 0)];
  }

  describe(): Doc {
    const { name, key, unique, sparse, partialFilterExpression, expireAfterSeconds } = this.spec;
    return {
      v: 2,
      key,
      name,
      ...(unique ? { unique: true } : {}),
      ...(sparse ? { sparse: true } : {}),
      ...(partialFilterExpression ? { partialFilterExpression } : {}),
      ...(expireAfterSeconds !== undefined ? { expireAfterSeconds } : {}),
    };
  }
}

/** Type ranks whose values compare equal exactly when their `hashKey`s are equal: missing/null, numbers, strings, ObjectIds, booleans, dates. */
const SCALAR_RANKS = new Set([1, 2, 3, 7, 8, 9]);

/** One string per key that compares equal, or undefined when a value is not such a scalar (an array, a document, binary data...). */
function scalarKeyHash(values: unknown[]): string | undefined {
  const parts: string[] = [];
  for (const value of values) {
    if (!SCALAR_RANKS.has(typeRank(value))) return undefined;
    parts.push(hashKey(value));
  }
  return JSON.stringify(parts);
}

function sameKeys(a: unknown[][], b: unknown[][]): boolean {
  return a.length === b.length && a.every((key, i) => key.length === b[i]!.length && key.every((v, j) => compareValues(v, b[i]![j]) === 0 && typeOrder(v) === typeOrder(b[i]![j])));
}

/** Values that compare equal but are stored differently (1 and 1.0 as Long, say) still need re-keying. */
function typeOrder(value: unknown): string {
  return value === null || value === undefined ? String(value) : typeof value === 'object' ? (value as object).constructor?.name ?? 'object' : typeof value;
}

function dedupeKeys(keys: unknown[][]): unknown[][] {
  const out: unknown[][] = [];
  for (const key of keys) {
    if (!out.some((other) => other.length === key.length && other.every((v, i) => compareValues(v, key[i]) === 0))) out.push(key);
  }
  return out;
}
