import { Query } from 'mingo';
import { ObjectId } from 'bson';
import { compareValues, hashKey, isEqualityOperand, typeRank, type Doc } from './values';

export type Matcher = (doc: Doc) => boolean;

const FAST_OPERATORS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$type']);

/** $type aliases by the type bracket (typeRank) they select; numeric kinds are told apart below. */
const TYPE_ALIASES: Record<string, (value: unknown) => boolean> = {
  null: (v) => v === null,
  string: (v) => typeof v === 'string',
  bool: (v) => typeof v === 'boolean',
  date: (v) => v instanceof Date,
  objectId: (v) => typeRank(v) === 7,
  array: (v) => Array.isArray(v),
  object: (v) => typeRank(v) === 4,
  number: (v) => typeRank(v) === 2,
};

/**
 * Compiles a query filter. The common subset (fields and dotted paths; equality, comparisons,
 * $in/$nin, $exists, $type; $and/$or) is evaluated directly; anything else goes to mingo. The fast path exists
 * because mingo copies its whole operator table for every Query it builds, which dominated the
 * cost of small indexed reads.
 */
export function compileFilter(filter: Doc): Matcher {
  return compileFast(filter) ?? mingoMatcher(filter);
}

function mingoMatcher(filter: Doc): Matcher {
  const query = new Query(filter);
  return (doc) => query.test(doc);
}

function compileFast(filter: Doc): Matcher | undefined {
  const clauses: Matcher[] = [];
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$and' || field === '$or') {
      if (!Array.isArray(condition) || condition.length === 0) return undefined;
      const parts = condition.map((part) => compileFast(part as Doc));
      if (parts.some((part) => part === undefined)) return undefined;
      const compiled = parts as Matcher[];
      clauses.push(field === '$and' ? (doc) => compiled.every((m) => m(doc)) : (doc) => compiled.some((m) => m(doc)));
      continue;
    }
    if (field.startsWith('$')) return undefined;
    const clause = field.includes('.') ? compileDotted(field, condition) : compileField(field, condition);
    if (!clause) return undefined;
    clauses.push(clause);
  }
  if (clauses.length === 0) return () => true;
  if (clauses.length === 1) return clauses[0];
  return (doc) => clauses.every((clause) => clause(doc));
}

/**
 * A condition on a dotted path. Without an array on the way the path names one value, tested as a
 * top-level field's would be; an array along the path (where MongoDB matches through its elements)
 * is left to mingo, for that document and that condition only.
 */
function compileDotted(field: string, condition: unknown): Matcher | undefined {
  const leaf = compileField('value', condition);
  if (!leaf) return undefined;
  const path = field.split('.');
  let throughArrays: Matcher | undefined;
  return (doc) => {
    let value: unknown = doc;
    for (const key of path) {
      if (Array.isArray(value)) return (throughArrays ??= mingoMatcher({ [field]: condition }))(doc);
      // Only embedded documents have fields (an ObjectId's or a Date's properties are not fields).
      value = isEmbeddedDocument(value) ? (value as Doc)[key] : undefined;
    }
    return leaf({ value });
  };
}

function isEmbeddedDocument(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function isPlainScalar(value: unknown): boolean {
  return isEqualityOperand(value) && !(value !== null && typeof value === 'object' && value.constructor === Object);
}

function compileField(field: string, condition: unknown): Matcher | undefined {
  if (condition instanceof RegExp) return undefined;
  if (isEqualityOperand(condition) && !Array.isArray(condition)) {
    if (!isPlainScalar(condition)) return undefined; // embedded-document equality: leave to mingo
    return (doc) => equals(doc[field], condition);
  }
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) return undefined;
  const tests: Matcher[] = [];
  for (const [operator, operand] of Object.entries(condition as Doc)) {
    if (!FAST_OPERATORS.has(operator)) return undefined;
    if (operator === '$type') {
      const names = Array.isArray(operand) ? operand : [operand];
      const checks = names.map((name) => TYPE_ALIASES[String(name)]);
      if (checks.some((check) => check === undefined)) return undefined;
      const isType = (value: unknown) => checks.some((check) => check!(value));
      tests.push((doc) => {
        const value = doc[field];
        if (value === undefined) return false;
        return isType(value) || (Array.isArray(value) && value.some(isType));
      });
      continue;
    }
    if (operator === '$exists') {
      const wanted = Boolean(operand);
      tests.push((doc) => (doc[field] !== undefined) === wanted);
      continue;
    }
    if (operator === '$in' || operator === '$nin') {
      if (!Array.isArray(operand) || !operand.every(isPlainScalar)) return undefined;
      // Ids and strings hash exactly, so a long list is one set lookup per value instead of a scan.
      const hashable = operand.length > 8 && operand.every((value) => value instanceof ObjectId || typeof value === 'string');
      const keys = hashable ? new Set(operand.map(hashKey)) : undefined;
      const inList = keys
        ? (doc: Doc) => {
            const value = doc[field];
            return Array.isArray(value) ? value.some((element) => keys.has(hashKey(element))) : value !== undefined && keys.has(hashKey(value));
          }
        : (doc: Doc) => operand.some((value) => equals(doc[field], value));
      tests.push(operator === '$in' ? inList : (doc) => !inList(doc));
      continue;
    }
    if (!isPlainScalar(operand)) return undefined;
    if (operator === '$eq') tests.push((doc) => equals(doc[field], operand));
    else if (operator === '$ne') tests.push((doc) => !equals(doc[field], operand));
    else tests.push(rangeTest(field, operator, operand));
  }
  return (doc) => tests.every((test) => test(doc));
}

/** Query equality: the value itself, or an element of an array value; null also matches missing. */
function equals(actual: unknown, expected: unknown): boolean {
  if (expected === null) {
    if (actual === null || actual === undefined) return true;
    return Array.isArray(actual) && actual.some((element) => element === null);
  }
  if (actual === undefined) return false;
  if (Array.isArray(actual)) return actual.some((element) => sameValue(element, expected));
  return sameValue(actual, expected);
}

function sameValue(a: unknown, b: unknown): boolean {
  return typeRank(a) === typeRank(b) && compareValues(a, b) === 0;
}

/** Comparisons only match values of the same type bracket, as in MongoDB. */
function rangeTest(field: string, operator: string, operand: unknown): Matcher {
  const rank = typeRank(operand);
  const holds = (c: number) => (operator === '$gt' ? c > 0 : operator === '$gte' ? c >= 0 : operator === '$lt' ? c < 0 : c <= 0);
  const one = (value: unknown) => typeRank(value) === rank && holds(compareValues(value, operand));
  return (doc) => {
    const value = doc[field];
    return Array.isArray(value) ? value.some(one) : one(value);
  };
}
