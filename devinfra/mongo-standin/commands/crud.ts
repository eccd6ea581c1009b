import { Aggregator, Query } from 'mingo';
import { CommandError, badValue, typeMismatch } from '../errors';
import { documentKey, type Collection } from '../engine/collection';
import { runQuery, type SortSpec } from '../engine/planner';
import { refuseTextScoreWithoutText, splitMetaProjection, splitTextFilter, textIndexRequired, type TextScores } from '../engine/textQuery';
import { isModifier, updatedDocument, upsertSeed, type UpdateSpec } from '../engine/updates';
import { compareValues, getPath, type Doc } from '../engine/values';
import type { CommandContext, CommandHandler } from './context';

function collectionName(command: Doc, key: string): string {
  const name = command[key];
  if (typeof name !== 'string' || name === '') throw typeMismatch(`collection name has invalid type ${typeof name}`);
  return name;
}

/**
 * Projects the documents; `{$meta: 'textScore'}` fields (in an inclusion, an exclusion, or alone:
 * then every field is kept) get the score the query gave each document.
 */
function project(documents: Doc[], projection: Doc | undefined, scores?: TextScores): Doc[] {
  const { fields, rest } = splitMetaProjection(projection);
  if (fields.length === 0) return projectFields(documents, projection);
  if (!scores) refuseTextScoreWithoutText(projection);
  const projected = projectFields(documents, rest);
  return projected.map((doc, i) => {
    const out = doc === documents[i] ? { ...doc } : doc;
    for (const field of fields) out[field] = scores!.get(documents[i]!);
    return out;
  });
}

function projectFields(documents: Doc[], projection: Doc | undefined): Doc[] {
  if (!projection || Object.keys(projection).length === 0) return documents;
  return fieldProjection(documents, projection) ?? new Query({}).find<Doc>(documents, projection).all();
}

/**
 * The common projections, top-level fields only included or only excluded (`_id` either way), done
 * directly: mingo resolves every path per document, which dominated large reads. Stored documents
 * are never changed in place, so the projected ones may share their values. Anything else (dotted
 * paths, operators, mixed modes) is left to mingo.
 */
function fieldProjection(documents: Doc[], projection: Doc): Doc[] | undefined {
  let keepId = true;
  const fields = new Set<string>();
  let mode: 'include' | 'exclude' | undefined;
  for (const [field, value] of Object.entries(projection)) {
    const flag = value === 1 || value === true ? 'include' : value === 0 || value === false ? 'exclude' : undefined;
    if (!flag || field.includes('.') || field.startsWith('$')) return undefined;
    if (field === '_id') {
      keepId = flag === 'include';
      continue;
    }
    if (mode && mode !== flag) return undefined;
    mode = flag;
    fields.add(field);
  }
  // `{_id: 1}` alone is an inclusion of _id only; `{_id: 0}` alone excludes just _id.
  const including = mode === 'include' || (mode === undefined && keepId);
  const keep = (key: string) => (key === '_id' ? keepId : including ? fields.has(key) : !fields.has(key));
  return documents.map((doc) => {
    const out: Doc = {};
    for (const key of Object.keys(doc)) if (keep(key)) out[key] = doc[key];
    return out;
  });
}

function asNumber(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  return Number(value);
}

export const find: CommandHandler = (command, context) => {
  const name = collectionName(command, 'find');
  const collection = context.catalog.get(context.database, name);
  const namespace = `${context.database}.${name}`;
  let limit = asNumber(command.limit);
  const singleBatch = command.singleBatch === true || (limit !== undefined && limit < 0);
  if (limit !== undefined) limit = Math.abs(limit);
  const skip = asNumber(command.skip) ?? 0;
  if (skip < 0) throw badValue('Skip value must be non-negative');
  const filter = (command.filter as Doc) ?? {};
  const scores: TextScores | undefined = '$text' in filter ? new Map() : undefined;
  if (scores && !collection) throw textIndexRequired();
  const documents = collection ? runQuery(collection, filter, { sort: command.sort as SortSpec | undefined, skip, limit, scores }) : [];
  return { cursor: context.cursors.open(namespace, project(documents, command.projection as Doc | undefined, scores), asNumber(command.batchSize), singleBatch), ok: 1 };
};

export const getMore: CommandHandler = (command, context) => ({
  cursor: context.cursors.more(command.getMore as number, asNumber(command.batchSize)),
  ok: 1,
});

export const killCursors: CommandHandler = (command, context) => {
  const { killed, notFound } = context.cursors.kill((command.cursors as unknown[]) ?? []);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};

function writeError(index: number, error: unknown): Doc {
  if (error instanceof CommandError) return { index, code: error.code, errmsg: error.message, ...error.extra };
  throw error;
}

export const insert: CommandHandler = (command, context) => {
  const name = collectionName(command, 'insert');
  const documents = (command.documents as Doc[]) ?? [];
  const ordered = command.ordered !== false;
  const { collection } = context.catalog.getOrCreate(context.database, name);
  let n = 0;
  const writeErrors: Doc[] = [];
  documents.forEach((document, index) => {
    if (ordered && writeErrors.length > 0) return;
    try {
      collection.insert(document);
      n += 1;
    } catch (error) {
      writeErrors.push(writeError(index, error));
    }
  });
  return { n, ...(writeErrors.length > 0 ? { writeErrors } : {}), ok: 1 };
};

/**
 * Whether an update left a document as it was (then it does not count as modified). Updates copy on
 * write, so a field they did not touch holds the very same value and only the others are compared.
 */
function sameDocument(current: Doc, next: Doc): boolean {
  const before = Object.keys(current);
  const after = Object.keys(next);
  if (before.length !== after.length) return false;
  return before.every((key, i) => key === after[i] && (current[key] === next[key] || compareValues(current[key], next[key]) === 0));
}

/** Applies one update statement; returns what it matched, modified and upserted. */
export function applyUpdate(
  collection: Collection,
  statement: { q: Doc; u: UpdateSpec; multi?: boolean; upsert?: boolean; arrayFilters?: Doc[]; sort?: SortSpec },
): { matched: number; modified: number; upsertedId?: unknown; before?: Doc; after?: Doc } {
  if (statement.multi && !Array.isArray(statement.u) && !isModifier(statement.u)) {
    throw new CommandError(9, 'FailedToParse', 'multi update is not supported for replacement-style update');
  }
  const targets = runQuery(collection, statement.q ?? {}, { sort: statement.sort, limit: statement.multi ? undefined : 1 });
  if (targets.length === 0) {
    if (!statement.upsert) return { matched: 0, modified: 0 };
    const conditions = upsertSeed(statement.q ?? {});
    const replacing = !Array.isArray(statement.u) && !isModifier(statement.u);
    const seed = replacing ? (conditions._id !== undefined ? { _id: conditions._id } : {}) : conditions;
    const created = updatedDocument(seed, statement.u, { arrayFilters: statement.arrayFilters, inserting: true });
    const stored = collection.insert(created);
    return { matched: 0, modified: 0, upsertedId: stored._id, after: stored };
  }
  // Compute every new version first, so a multi-update that fails validation changes nothing.
  const changes = targets.map((current) => ({ current, next: updatedDocument(current, statement.u, { arrayFilters: statement.arrayFilters }) }));
  let modified = 0;
  for (const { current, next } of changes) {
    if (sameDocument(current, next)) continue;
    collection.replace(current, next);
    modified += 1;
  }
  return { matched: targets.length, modified, before: changes[0]!.current, after: changes[0]!.next };
}

export const update: CommandHandler = (command, context) => {
  const name = collectionName(command, 'update');
  const statements = (command.updates as Doc[]) ?? [];
  const ordered = command.ordered !== false;
  const { collection } = context.catalog.getOrCreate(context.database, name);
  let n = 0;
  let nModified = 0;
  const upserted: Doc[] = [];
  const writeErrors: Doc[] = [];
  statements.forEach((statement, index) => {
    if (ordered && writeErrors.length > 0) return;
    try {
      // A 7.0 server does not know `sort` on update statements (8.0 added it).
      if (statement.sort !== undefined) throw new CommandError(40415, 'Location40415', "BSON field 'update.updates.sort' is an unknown field.");
      const result = applyUpdate(collection, statement as never);
      if (result.upsertedId !== undefined) {
        upserted.push({ index, _id: result.upsertedId });
        n += 1;
      } else {
        n += result.matched;
        nModified += result.modified;
      }
    } catch (error) {
      writeErrors.push(writeError(index, error));
    }
  });
  return { n, nModified, ...(upserted.length > 0 ? { upserted } : {}), ...(writeErrors.length > 0 ? { writeErrors } : {}), ok: 1 };
};

export const remove: CommandHandler = (command, context) => {
  const name = collectionName(command, 'delete');
  const statements = (command.deletes as Doc[]) ?? [];
  const collection = context.catalog.get(context.database, name);
  let n = 0;
  for (const statement of statements) {
    if (!collection) break;
    const limit = Number(statement.limit ?? 0);
    const targets = runQuery(collection, (statement.q as Doc) ?? {}, { limit: limit === 1 ? 1 : undefined, sort: statement.sort as SortSpec | undefined });
    for (const doc of targets) collection.delete(doc);
    n += targets.length;
  }
  return { n, ok: 1 };
};

export const findAndModify: CommandHandler = (command, context) => {
  const name = typeof command.findAndModify === 'string' ? command.findAndModify : collectionName(command, 'findandmodify');
  const query = (command.query as Doc) ?? {};
  const sort = command.sort as SortSpec | undefined;
  const projection = command.fields as Doc | undefined;
  if (command.remove === true) {
    const collection = context.catalog.get(context.database, name);
    const [target] = collection ? runQuery(collection, query, { sort, limit: 1 }) : [];
    if (target) collection!.delete(target);
    return { lastErrorObject: { n: target ? 1 : 0 }, value: target ? project([target], projection)[0] : null, ok: 1 };
  }
  if (command.update === undefined) throw new CommandError(9, 'FailedToParse', 'Either an update or remove=true must be specified');
  const { collection } = context.catalog.getOrCreate(context.database, name);
  const result = applyUpdate(collection, {
    q: query,
    u: command.update as UpdateSpec,
    upsert: command.upsert === true,
    arrayFilters: command.arrayFilters as Doc[] | undefined,
    sort,
  });
  const upserted = result.upsertedId !== undefined;
  const value = upserted ? (command.new ? result.after : null) : command.new ? result.after : result.before;
  return {
    lastErrorObject: { n: upserted || result.matched > 0 ? 1 : 0, updatedExisting: result.matched > 0, ...(upserted ? { upserted: result.upsertedId } : {}) },
    value: value ? project([value], projection)[0] : null,
    ok: 1,
  };
};

export const count: CommandHandler = (command, context) => {
  const collection = context.catalog.get(context.database, collectionName(command, 'count'));
  const query = command.query as Doc | undefined;
  if (query && splitTextFilter(query) && !collection) throw textIndexRequired();
  if (!collection) return { n: 0, ok: 1 };
  let n = query && Object.keys(query).length > 0 ? runQuery(collection, query).length : collection.docs.size;
  n = Math.max(0, n - (asNumber(command.skip) ?? 0));
  const limit = asNumber(command.limit);
  if (limit) n = Math.min(n, Math.abs(limit));
  return { n, ok: 1 };
};

export const distinct: CommandHandler = (command, context) => {
  const collection = context.catalog.get(context.database, collectionName(command, 'distinct'));
  const key = String(command.key);
  const values: unknown[] = [];
  for (const doc of collection ? runQuery(collection, (command.query as Doc) ?? {}) : []) {
    const value = getPath(doc, key);
    for (const element of Array.isArray(value) ? value : [value]) {
      if (element !== undefined && !values.some((v) => compareValues(v, element) === 0)) values.push(element);
    }
  }
  values.sort(compareValues);
  return { values, ok: 1 };
};

/** Stages the stand-in refuses rather than pretending (they write to other collections). */
const UNSUPPORTED_STAGES = new Set(['$out', '$merge']);

/**
 * The driver's countDocuments, `[{$match: filter}, {$group: {_id: <constant>, <name>: {$sum: 1}}}]`:
 * the group key and the counter's name, or undefined for any other pipeline.
 */
function countPipeline(pipeline: Doc[]): { filter: Doc; id: unknown; field: string } | undefined {
  if (pipeline.length !== 2 || Object.keys(pipeline[0]!).length !== 1 || Object.keys(pipeline[1]!).length !== 1) return undefined;
  const match = pipeline[0]!.$match as Doc | undefined;
  const group = pipeline[1]!.$group as Doc | undefined;
  if (!match || typeof match !== 'object' || !group || typeof group !== 'object') return undefined;
  const fields = Object.keys(group);
  if (fields.length !== 2 || !('_id' in group)) return undefined;
  const id = group._id;
  if (!(id === null || typeof id === 'number' || (typeof id === 'string' && !id.startsWith('$')))) return undefined;
  const field = fields.find((name) => name !== '_id')!;
  const sum = group[field] as Doc | undefined;
  if (!sum || typeof sum !== 'object' || Object.keys(sum).length !== 1 || sum.$sum !== 1) return undefined;
  return { filter: match, id, field };
}

export function runPipeline(context: CommandContext, collection: Collection | undefined, pipeline: Doc[]): Doc[] {
  pipeline.forEach((stage, position) => {
    if (position > 0 && '$match' in stage && stage.$match && typeof stage.$match === 'object' && '$text' in (stage.$match as Doc)) {
      throw new CommandError(17313, 'Location17313', '$match with $text is only allowed as the first pipeline stage');
    }
  });
  for (const stage of pipeline) {
    const name = Object.keys(stage)[0]!;
    if (UNSUPPORTED_STAGES.has(name)) throw new CommandError(40324, 'Location40324', `Unrecognized pipeline stage name: '${name}' (not supported by the offline stand-in)`);
  }
  const counting = countPipeline(pipeline);
  if (counting) {
    // Counted without handing every matching document to mingo's $group: with no filter, the collection's size.
    const n = !collection ? 0 : Object.keys(counting.filter).length === 0 ? collection.docs.size : runQuery(collection, counting.filter).length;
    return n > 0 ? [{ _id: counting.id, [counting.field]: n }] : [];
  }
  let source: Doc[];
  let rest = pipeline;
  const first = pipeline[0];
  if (!collection && first && '$match' in first && splitTextFilter(first.$match as Doc)) throw textIndexRequired();
  if (collection && first && '$match' in first) {
    const second = pipeline[1];
    const sort = second && '$sort' in second ? (second.$sort as SortSpec) : undefined;
    source = runQuery(collection, first.$match as Doc, { sort });
    rest = pipeline.slice(sort ? 2 : 1);
  } else {
    source = collection ? [...collection.docs.values()] : [];
  }
  if (rest.length === 0) return source;
  const resolver = (name: string) => [...(context.catalog.get(context.database, name)?.docs.values() ?? [])];
  return new Aggregator(rest, { collectionResolver: resolver } as never).run(source) as Doc[];
}

export const aggregate: CommandHandler = (command, context) => {
  const target = command.aggregate;
  const pipeline = (command.pipeline as Doc[]) ?? [];
  const collection = typeof target === 'string' ? context.catalog.get(context.database, target) : undefined;
  const namespace = `${context.database}.${typeof target === 'string' ? target : '$cmd.aggregate'}`;
  const results = runPipeline(context, collection, pipeline);
  const batchSize = asNumber((command.cursor as Doc | undefined)?.batchSize);
  return { cursor: context.cursors.open(namespace, results, batchSize), ok: 1 };
};

export { documentKey };
