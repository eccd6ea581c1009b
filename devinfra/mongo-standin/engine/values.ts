import { Binary, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';

export type Doc = Record<string, unknown>;

/** mongod's cross-type sort order (BSON comparison order). The common types are tested first: this runs for every index comparison. */
export function typeRank(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return 3;
    case 'number':
    case 'bigint':
      return 2;
    case 'boolean':
      return 8;
    case 'undefined':
      return 1;
    case 'object':
      break;
    default:
      return 4;
  }
  if (value === null) return 1;
  if (value instanceof ObjectId) return 7;
  if (value instanceof Date) return 9;
  if (Array.isArray(value)) return 5;
  if (value instanceof Long || value instanceof Decimal128 || value instanceof Double || value instanceof Int32) return 2;
  if (value instanceof MinKey) return 0;
  if (value instanceof Binary || Buffer.isBuffer(value)) return 6;
  if (value instanceof Timestamp) return 10;
  if (value instanceof RegExp) return 11;
  if (value instanceof MaxKey) return 13;
  return 4; // embedded document
}

type ObjectIdParts = { i0?: unknown; i1?: unknown; i2?: unknown; i3?: unknown };

/**
 * Byte order of two ObjectIds. bson 7 keeps an ObjectId as four 24-bit integers (its bytes in
 * big-endian thirds), so comparing those in turn is byte order without building a buffer per
 * comparison; other layouts fall back to the bytes.
 */
function compareObjectIds(a: ObjectId, b: ObjectId): number {
  const x = a as unknown as ObjectIdParts;
  const y = b as unknown as ObjectIdParts;
  if (typeof x.i3 === 'number' && typeof y.i3 === 'number') {
    for (const part of ['i0', 'i1', 'i2', 'i3'] as const) {
      const p = x[part] as number;
      const q = y[part] as number;
      if (p !== q) return p < q ? -1 : 1;
    }
    return 0;
  }
  return Buffer.compare(a.id, b.id);
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Long) return value.toNumber();
  if (value instanceof Decimal128) return Number(value.toString());
  if (value instanceof Double || value instanceof Int32) return value.valueOf();
  return NaN;
}

/** Compares two BSON values the way mongod orders them in indexes and sorts. */
export function compareValues(a: unknown, b: unknown): number {
  const rankA = typeRank(a);
  const rankB = typeRank(b);
  if (rankA !== rankB) return rankA < rankB ? -1 : 1;
  switch (rankA) {
    case 0:
    case 1:
    case 13:
      return 0;
    case 2: {
      const x = toNumber(a);
      const y = toNumber(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 3:
      return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
    case 5: {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
        const c = compareValues(x[i], y[i]);
        if (c !== 0) return c;
      }
      return x.length - y.length === 0 ? 0 : x.length < y.length ? -1 : 1;
    }
    case 6:
      return Buffer.compare(asBuffer(a), asBuffer(b));
    case 7:
      return compareObjectIds(a as ObjectId, b as ObjectId);
    case 8:
      return a === b ? 0 : a ? 1 : -1;
    case 9: {
      const x = (a as Date).getTime();
      const y = (b as Date).getTime();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 10:
      return (a as Timestamp).compare(b as Timestamp);
    case 11:
      return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
    default: {
      const x = Object.entries(a as Doc);
      const y = Object.entries(b as Doc);
      for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
        const [keyA, valueA] = x[i]!;
        const [keyB, valueB] = y[i]!;
        const c = compareValues(valueA, valueB);
        if (c !== 0) return c;
        if (keyA !== keyB) return keyA < keyB ? -1 : 1;
      }
      return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
    }
  }
}

function asBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  return Buffer.from((value as Binary).buffer);
}

/** The value at a dotted path, or undefined. Arrays along the path are not expanded. */
export function getPath(doc: unknown, path: string): unknown {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Doc)[part];
  }
  return current;
}

/**
 * Index key values of one field: an array yields one key per element (a multikey index), a missing
 * field yields null (so it is indexed, and unique indexes treat missing as a value, as mongod does).
 */
export function indexValuesAt(doc: Doc, path: string | readonly string[]): unknown[] {
  const parts = typeof path === 'string' ? path.split('.') : path;
  // The common case, no array on the way: one value, found without recursion.
  let value: unknown = doc;
  let depth = 0;
  for (; depth < parts.length; depth += 1) {
    if (Array.isArray(value)) break;
    if (value === null || typeof value !== 'object') return [null];
    value = (value as Doc)[parts[depth]!];
  }
  if (depth === parts.length && !Array.isArray(value)) return [value === undefined ? null : value];
  const out: unknown[] = [];
  collectIndexValues(value, parts, depth, out);
  return out.length > 0 ? out : [null];
}

function collectIndexValues(value: unknown, parts: readonly string[], depth: number, out: unknown[]): void {
  if (depth === parts.length) {
    if (Array.isArray(value)) {
      if (value.length === 0) out.push(undefined);
      else for (const element of value) out.push(element);
    } else out.push(value === undefined ? null : value);
    return;
  }
  if (Array.isArray(value)) {
    for (const element of value) collectIndexValues(element, parts, depth, out);
    return;
  }
  if (value === null || typeof value !== 'object') {
    out.push(null);
    return;
  }
  collectIndexValues((value as Doc)[parts[depth]!], parts, depth + 1, out);
}

/** A key for Map lookups that treats equal BSON values alike (1 and 1.0, equal ObjectIds and Dates). */
export function hashKey(value: unknown): string {
  if (value === null || value === undefined) return 'n';
  if (value instanceof ObjectId) return `o${value.toHexString()}`;
  if (value instanceof Date) return `d${value.getTime()}`;
  const rank = typeRank(value);
  if (rank === 2) return `#${toNumber(value)}`;
  if (typeof value === 'string') return `s${value}`;
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  if (Array.isArray(value)) return `[${value.map(hashKey).join(',')}]`;
  if (rank === 4) return `{${Object.entries(value as Doc).map(([k, v]) => `${k}:${hashKey(v)}`).join(',')}}`;
  return `?${String(value)}`;
}

/** True for a plain equality operand in a query (not an operator document or a regex). */
export function isEqualityOperand(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (value instanceof ObjectId || value instanceof Date || value instanceof Long || value instanceof Decimal128) return true;
  if (value instanceof RegExp || Array.isArray(value)) return false;
  if (value instanceof Binary || value instanceof Timestamp) return true;
  return !Object.keys(value as Doc).some((key) => key.startsWith('$'));
}
