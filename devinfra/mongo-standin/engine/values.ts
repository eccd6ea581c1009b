import { Binary, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';

export type Doc = Record<string, unknown>;

/** mongod's cross-type sort order (BSON comparison order). */
export function typeRank(value: unknown): number {
  if (value instanceof MinKey) return 0;
  if (value === null || value === undefined) return 1;
  if (typeof value === 'number' || typeof value === 'bigint' || value instanceof Long || value instanceof Decimal128 || value instanceof Double || value instanceof Int32) return 2;
  if (typeof value === 'string') return 3;
  if (Array.isArray(value)) return 5;
  if (value instanceof Binary || Buffer.isBuffer(value)) return 6;
  if (value instanceof ObjectId) return 7;
  if (typeof value === 'boolean') return 8;
  if (value instanceof Date) return 9;
  if (value instanceof Timestamp) return 10;
  if (value instanceof RegExp) return 11;
  if (value instanceof MaxKey) return 13;
  return 4; // embedded document
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
      return Buffer.compare((a as ObjectId).id, (b as ObjectId).id);
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
export function indexValuesAt(doc: Doc, path: string): unknown[] {
  const parts = path.split('.');
  const out: unknown[] = [];
  const walk = (value: unknown, depth: number) => {
    if (depth === parts.length) {
      if (Array.isArray(value)) {
        if (value.length === 0) out.push(undefined);
        else for (const element of value) out.push(element);
      } else out.push(value === undefined ? null : value);
      return;
    }
    if (Array.isArray(value)) {
      for (const element of value) walk(element, depth);
      return;
    }
    if (value === null || typeof value !== 'object') {
      out.push(null);
      return;
    }
    walk((value as Doc)[parts[depth]!], depth + 1);
  };
  walk(doc, 0);
  return out.length > 0 ? out : [null];
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
