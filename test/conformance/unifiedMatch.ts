import { Binary, Decimal128, Double, Int32, Long, ObjectId, Timestamp } from 'bson';

/** Matching rules of MongoDB's unified test format ("Evaluating Matches"). Returns a mismatch, or null. */
export function unifiedMatch(expected: unknown, actual: unknown, root: boolean, path = '$'): string | null {
  if (isPlainDocument(expected)) {
    const keys = Object.keys(expected);
    if (keys.length === 1 && keys[0]!.startsWith('$$')) return specialOperator(keys[0]!, expected[keys[0]!], actual, path, root);
    if (!isPlainDocument(actual)) return `${path}: expected a document, got ${describe(actual)}`;
    for (const key of keys) {
      const value = expected[key];
      if (isPlainDocument(value) && Object.keys(value).length === 1) {
        const operator = Object.keys(value)[0]!;
        if (operator === '$$exists') {
          if ((actual[key] !== undefined) !== Boolean(value.$$exists)) return `${path}.${key}: expected to ${value.$$exists ? '' : 'not '}exist`;
          continue;
        }
        if (operator === '$$unsetOrMatches') {
          if (actual[key] === undefined) continue;
          const problem = unifiedMatch(value.$$unsetOrMatches, actual[key], false, `${path}.${key}`);
          if (problem) return problem;
          continue;
        }
      }
      if (actual[key] === undefined) return `${path}.${key}: missing`;
      const problem = unifiedMatch(value, actual[key], false, `${path}.${key}`);
      if (problem) return problem;
    }
    if (!root) {
      const extra = Object.keys(actual).filter((key) => !(key in expected));
      if (extra.length > 0) return `${path}: unexpected fields ${extra.join(', ')}`;
    }
    return null;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected an array, got ${describe(actual)}`;
    if (actual.length !== expected.length) return `${path}: expected ${expected.length} elements, got ${actual.length}`;
    for (let i = 0; i < expected.length; i += 1) {
      const problem = unifiedMatch(expected[i], actual[i], false, `${path}[${i}]`);
      if (problem) return problem;
    }
    return null;
  }
  return scalarEquals(expected, actual) ? null : `${path}: expected ${describe(expected)}, got ${describe(actual)}`;
}

function specialOperator(operator: string, operand: unknown, actual: unknown, path: string, root: boolean): string | null {
  switch (operator) {
    case '$$unsetOrMatches':
      return actual === undefined ? null : unifiedMatch(operand, actual, root, path);
    case '$$exists':
      return (actual !== undefined) === Boolean(operand) ? null : `${path}: existence mismatch`;
    case '$$type': {
      const types = Array.isArray(operand) ? operand : [operand];
      return types.some((type) => bsonTypeOf(actual) === type) ? null : `${path}: expected type ${types.join('|')}, got ${bsonTypeOf(actual)}`;
    }
    case '$$lte':
      return toNumber(actual) <= toNumber(operand) ? null : `${path}: expected ≤ ${String(operand)}`;
    default:
      throw new UnsupportedFeature(`special operator ${operator}`);
  }
}

export class UnsupportedFeature extends Error {}

function isPlainDocument(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value instanceof Long) return value.toNumber();
  if (value instanceof Int32 || value instanceof Double) return value.valueOf();
  if (typeof value === 'bigint') return Number(value);
  return NaN;
}

function isNumeric(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'bigint' || value instanceof Long || value instanceof Int32 || value instanceof Double;
}

function scalarEquals(expected: unknown, actual: unknown): boolean {
  if (isNumeric(expected) && isNumeric(actual)) return toNumber(expected) === toNumber(actual);
  if (expected instanceof ObjectId && actual instanceof ObjectId) return expected.equals(actual);
  if (expected instanceof Date && actual instanceof Date) return expected.getTime() === actual.getTime();
  if (expected instanceof Decimal128 && actual instanceof Decimal128) return expected.toString() === actual.toString();
  if (expected instanceof Binary && actual instanceof Binary) return Buffer.compare(Buffer.from(expected.buffer), Buffer.from(actual.buffer)) === 0;
  if (expected instanceof Timestamp && actual instanceof Timestamp) return expected.equals(actual);
  return expected === actual;
}

function bsonTypeOf(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? 'int' : 'double';
  if (value instanceof Long || typeof value === 'bigint') return 'long';
  if (value instanceof ObjectId) return 'objectId';
  if (value instanceof Date) return 'date';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Binary) return 'binData';
  return 'object';
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
