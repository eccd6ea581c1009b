import { Aggregator, update as applyModifier } from 'mingo';
import { failedToParse, immutableField } from '../errors';
import { cloneDocument } from './collection';
import { fastUpdate } from './fastUpdate';
import { compareValues, isEqualityOperand, type Doc } from './values';

const SUPPORTED_MODIFIERS = new Set([
  '$set', '$unset', '$inc', '$mul', '$min', '$max', '$rename', '$push', '$pull', '$pullAll', '$addToSet', '$pop', '$currentDate', '$bit', '$setOnInsert',
]);

export type UpdateSpec = Doc | Doc[];

export function isModifier(update: UpdateSpec): boolean {
  return !Array.isArray(update) && Object.keys(update).some((key) => key.startsWith('$'));
}

/**
 * The document after an update: an operator document, a replacement, or an aggregation pipeline.
 * Works on a copy, so the stored document is untouched until the caller commits the result.
 */
export function updatedDocument(current: Doc, update: UpdateSpec, options: { arrayFilters?: Doc[]; inserting?: boolean } = {}): Doc {
  let next: Doc;
  if (Array.isArray(update)) {
    const output = new Aggregator(update).run([cloneDocument(current)])[0] as Doc;
    // A pipeline that drops _id keeps the document's _id, as mongod does.
    next = output._id === undefined && current._id !== undefined ? { _id: current._id, ...output } : output;
  } else if (isModifier(update)) {
    const keys = Object.keys(update);
    if (keys.some((key) => !key.startsWith('$'))) throw failedToParse('Cannot mix update operators and plain fields in one update document');
    const unknown = keys.find((key) => !SUPPORTED_MODIFIERS.has(key));
    if (unknown) throw failedToParse(`Unknown modifier: ${unknown}. Expected a valid update modifier or pipeline-style update specified as an array`);
    const modifier: Doc = { ...update };
    const onInsert = modifier.$setOnInsert as Doc | undefined;
    delete modifier.$setOnInsert;
    if (onInsert && options.inserting) modifier.$set = { ...((modifier.$set as Doc) ?? {}), ...onInsert };
    const fast = options.arrayFilters ? undefined : fastUpdate(current, modifier);
    next = fast ?? cloneDocument(current);
    if (!fast && Object.keys(modifier).length > 0) {
      try {
        applyModifier(next, modifier, options.arrayFilters);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw /immutable field '_id'/.test(message) ? immutableField(message) : failedToParse(message);
      }
    }
  } else {
    if (update._id !== undefined && current._id !== undefined && compareValues(update._id, current._id) !== 0) {
      throw immutableField("After applying the update, the (immutable) field '_id' was found to have been altered");
    }
    const { _id: _ignored, ...fields } = cloneDocument(update);
    next = current._id === undefined ? { ...fields } : { _id: current._id, ...fields };
  }
  if (current._id !== undefined && compareValues(next._id, current._id) !== 0) {
    throw immutableField("Performing an update on the path '_id' would modify the immutable field '_id'");
  }
  return next;
}

/** The document an upsert starts from: the equality conditions of its filter. */
export function upsertSeed(filter: Doc): Doc {
  const seed: Doc = {};
  const visit = (clause: Doc) => {
    for (const [field, condition] of Object.entries(clause)) {
      if (field === '$and' && Array.isArray(condition)) {
        for (const part of condition) visit(part as Doc);
      } else if (!field.startsWith('$')) {
        if (isEqualityOperand(condition)) setPath(seed, field, condition);
        else if (condition && typeof condition === 'object' && '$eq' in (condition as Doc)) setPath(seed, field, (condition as Doc).$eq);
      }
    }
  };
  visit(filter);
  return seed;
}

function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let current = doc;
  for (const part of parts.slice(0, -1)) {
    if (typeof current[part] !== 'object' || current[part] === null) current[part] = {};
    current = current[part] as Doc;
  }
  current[parts[parts.length - 1]!] = value;
}
