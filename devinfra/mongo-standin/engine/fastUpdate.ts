import { Decimal128, Double, Int32, Long } from 'bson';
import type { Doc } from './values';

const FAST_OPERATORS = new Set(['$set', '$unset', '$inc', '$push']);

/** True when a plain path (no positional `$`, no array index segments) can be written directly. */
function plainPath(path: string): boolean {
  return !path.split('.').some((part) => part.startsWith('$') || /^\d+$/.test(part) || part === '');
}

function parentOf(doc: Doc, path: string, create: boolean): { parent: Doc; key: string } | undefined {
  const parts = path.split('.');
  let current: Doc = doc;
  for (const part of parts.slice(0, -1)) {
    const next = current[part];
    if (next === undefined || next === null) {
      if (!create) return undefined;
      current[part] = {};
    } else if (typeof next !== 'object' || Array.isArray(next) || isBsonValue(next)) {
      return undefined;
    }
    current = current[part] as Doc;
  }
  return { parent: current, key: parts[parts.length - 1]! };
}

function isBsonValue(value: unknown): boolean {
  return value instanceof Long || value instanceof Decimal128 || value instanceof Date || (typeof value === 'object' && value !== null && '_bsontype' in value);
}

function isPlainNumber(value: unknown): value is number {
  return typeof value === 'number' || value instanceof Int32 || value instanceof Double;
}

/**
 * Applies the common update operators ($set, $unset, $inc on plain numbers, $push with $each and
 * $slice) to a copy of the document, or returns undefined when the update needs mingo (any other
 * operator, positional paths, array filters, non-numeric $inc). Mongo semantics for what it does.
 */
export function fastUpdate(doc: Doc, update: Doc): Doc | undefined {
  const operators = Object.keys(update);
  if (!operators.every((op) => FAST_OPERATORS.has(op))) return undefined;
  for (const op of operators) {
    const fields = update[op] as Doc;
    if (!fields || typeof fields !== 'object') return undefined;
    if (!Object.keys(fields).every(plainPath)) return undefined;
  }
  const next: Doc = { ...doc };
  // Copy-on-write along written paths, so the stored document is never changed in place.
  const writable = (path: string, create: boolean) => {
    const parts = path.split('.');
    let current = next;
    for (const part of parts.slice(0, -1)) {
      const value = current[part];
      if (value && typeof value === 'object' && !Array.isArray(value) && !isBsonValue(value)) current[part] = { ...(value as Doc) };
      else if (value === undefined && create) current[part] = {};
      current = current[part] as Doc;
      if (!current || typeof current !== 'object') return undefined;
    }
    return parentOf(next, path, create);
  };
  for (const [path, value] of Object.entries((update.$set as Doc) ?? {})) {
    const target = writable(path, true);
    if (!target) return undefined;
    target.parent[target.key] = value;
  }
  for (const path of Object.keys((update.$unset as Doc) ?? {})) {
    const target = writable(path, false);
    if (target) delete target.parent[target.key];
  }
  for (const [path, amount] of Object.entries((update.$inc as Doc) ?? {})) {
    if (!isPlainNumber(amount)) return undefined;
    const target = writable(path, true);
    if (!target) return undefined;
    const current = target.parent[target.key];
    if (current === undefined || current === null) target.parent[target.key] = Number(amount);
    else if (isPlainNumber(current)) target.parent[target.key] = Number(current) + Number(amount);
    else return undefined;
  }
  for (const [path, spec] of Object.entries((update.$push as Doc) ?? {})) {
    const target = writable(path, true);
    if (!target) return undefined;
    const current = target.parent[target.key];
    if (current !== undefined && !Array.isArray(current)) return undefined;
    const modifiers = spec && typeof spec === 'object' && !Array.isArray(spec) && '$each' in (spec as Doc) ? (spec as Doc) : undefined;
    if (modifiers && Object.keys(modifiers).some((key) => key !== '$each' && key !== '$slice')) return undefined;
    const items = modifiers ? (modifiers.$each as unknown[]) : [spec];
    if (!Array.isArray(items)) return undefined;
    let array = [...((current as unknown[]) ?? []), ...items];
    if (modifiers && modifiers.$slice !== undefined) {
      const slice = Number(modifiers.$slice);
      if (!Number.isInteger(slice)) return undefined;
      array = slice < 0 ? array.slice(slice) : array.slice(0, slice);
    }
    target.parent[target.key] = array;
  }
  return next;
}
