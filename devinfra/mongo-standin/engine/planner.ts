import { ObjectId } from 'bson';
import { compileFilter } from './matcher';
import { documentKey, type Collection } from './collection';
import type { FieldRange, SecondaryIndex } from './secondaryIndex';
import { compareValues, getPath, hashKey, isEqualityOperand, type Doc } from './values';
import { refuseTextScoreWithoutText, runTextQuery, splitTextFilter, textIndexRequired, type TextScores } from './textQuery';
import type { TextQuery } from './textIndex';

export type SortSpec = Record<string, number | Doc>;

export interface Plan {
  stage: 'IXSCAN' | 'COLLSCAN';
  index?: SecondaryIndex;
  /** Equality prefixes to scan (several for an $in). */
  prefixes: unknown[][];
  /** Bounds on the index field after the prefix. */
  range?: FieldRange;
  reverse: boolean;
  /** Index order already is the requested sort order (with several prefixes: after merging their scans). */
  providesSort: boolean;
  /** Several prefixes whose scans are each in sort order, merged into one (mongod's SORT_MERGE). */
  merge?: boolean;
}

/** Up to this many prefixes are merged in sort order; past it, picking the next of so many costs more than a sort. */
const MAX_MERGED_PREFIXES = 256;

/** Beyond this many $in prefixes a scan costs more than it saves (each is a binary search). */
const MAX_PREFIXES = 20_000;

/** Equality (and $in) conditions on top-level fields, including those inside a top-level $and. */
function equalityConditions(filter: Doc): Map<string, unknown[]> {
  const conditions = new Map<string, unknown[]>();
  const visit = (clause: Doc) => {
    for (const [field, condition] of Object.entries(clause)) {
      if (field === '$and' && Array.isArray(condition)) {
        for (const part of condition) visit(part as Doc);
        continue;
      }
      if (field.startsWith('$')) continue;
      if (isEqualityOperand(condition) && !Array.isArray(condition)) {
        conditions.set(field, [condition]);
      } else if (condition && typeof condition === 'object' && !Array.isArray(condition)) {
        const ops = condition as Doc;
        if ('$eq' in ops && isEqualityOperand(ops.$eq) && !Array.isArray(ops.$eq)) conditions.set(field, [ops.$eq]);
        else if (Array.isArray(ops.$in) && ops.$in.every((v) => isEqualityOperand(v) && !Array.isArray(v))) conditions.set(field, distinct(ops.$in));
      }
    }
  };
  visit(filter);
  return conditions;
}

/** An $in list without repeated scalars: each would scan the same index range again. */
function distinct(values: unknown[]): unknown[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const scalar = value === null || typeof value !== 'object' || value instanceof ObjectId || value instanceof Date;
    if (!scalar) return true;
    const key = hashKey(value);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** $gt/$gte/$lt/$lte bounds on top-level fields (including inside a top-level $and). */
function rangeConditions(filter: Doc): Map<string, FieldRange> {
  const ranges = new Map<string, FieldRange>();
  const visit = (clause: Doc) => {
    for (const [field, condition] of Object.entries(clause)) {
      if (field === '$and' && Array.isArray(condition)) {
        for (const part of condition) visit(part as Doc);
        continue;
      }
      if (field.startsWith('$') || !condition || typeof condition !== 'object' || Array.isArray(condition) || condition instanceof Date) continue;
      const range: FieldRange = { ...ranges.get(field) };
      for (const [op, value] of Object.entries(condition as Doc)) {
        // Scalars only: an embedded-document bound is left to the matcher.
        if (!isEqualityOperand(value) || value === null || (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)) continue;
        if (op === '$gt' || op === '$gte') range.lower = { value, inclusive: op === '$gte' };
        if (op === '$lt' || op === '$lte') range.upper = { value, inclusive: op === '$lte' };
      }
      if (range.lower || range.upper) ranges.set(field, range);
    }
  };
  visit(filter);
  return ranges;
}

const TYPE_TESTS: Record<string, (value: unknown) => boolean> = {
  string: (value) => typeof value === 'string',
  objectId: (value) => value instanceof ObjectId,
  date: (value) => value instanceof Date,
  bool: (value) => typeof value === 'boolean',
};

/**
 * Whether an index holds every document the filter can match: always for a full index; for a
 * sparse or partial one only when the filter's equality conditions imply its inclusion rule (a
 * non-null equality on a sparse field; `$exists: true` or a matching `$type` in a partial filter).
 */
function coversFilter(index: SecondaryIndex, conditions: Map<string, unknown[]>): boolean {
  const nonNullEquality = (field: string) => conditions.get(field)?.every((value) => value !== null && value !== undefined) ?? false;
  if (index.spec.sparse && !nonNullEquality(index.fields[0]!)) return false;
  const partial = index.spec.partialFilterExpression;
  if (!partial) return true;
  return Object.entries(partial).every(([field, rule]) => {
    if (field.startsWith('$') || !nonNullEquality(field) || !rule || typeof rule !== 'object') return false;
    const ops = rule as Doc;
    if (Object.keys(ops).length !== 1) return false;
    if (ops.$exists === true) return true;
    const test = typeof ops.$type === 'string' ? TYPE_TESTS[ops.$type] : undefined;
    return test !== undefined && conditions.get(field)!.every(test);
  });
}

function sortFields(sort: SortSpec | undefined): [string, 1 | -1][] {
  if (!sort) return [];
  return Object.entries(sort)
    .filter(([, direction]) => typeof direction === 'number')
    .map(([field, direction]) => [field, (direction as number) < 0 ? -1 : 1]);
}

/**
 * Picks the index with the longest equality prefix, preferring one whose order gives the sort. A
 * top-level `$or` whose branches all pick the same index (each with its own equality prefixes, as
 * `{$or: [{a: 1, b: 2}, {a: 3, b: 4}]}` on `{a: 1, b: 1}`) scans the union of their prefixes, as
 * mongod's OR stage would, when that beats what the conditions outside the `$or` allow.
 */
export function planQuery(collection: Collection, filter: Doc, sort?: SortSpec): Plan {
  const best = planConjunction(collection, filter, sort);
  const branches = filter.$or;
  if (!Array.isArray(branches) || branches.length === 0 || branches.length > MAX_PREFIXES) return best;
  const { $or: _branches, ...outside } = filter;
  const plans = branches.map((branch) => planConjunction(collection, { $and: [outside, branch as Doc] }));
  const index = plans[0]!.index;
  const union = plans.every((plan) => plan.stage === 'IXSCAN' && plan.index === index && !plan.range) && plans.reduce((sum, plan) => sum + plan.prefixes.length, 0) <= MAX_PREFIXES;
  if (!union || Math.min(...plans.map((plan) => plan.score)) <= best.score) return best;
  return { stage: 'IXSCAN', index, prefixes: plans.flatMap((plan) => plan.prefixes), reverse: false, providesSort: false };
}

function planConjunction(collection: Collection, filter: Doc, sort?: SortSpec): Plan & { score: number } {
  const conditions = equalityConditions(filter);
  const ranges = rangeConditions(filter);
  const wantedSort = sortFields(sort);
  let best: (Plan & { score: number }) | undefined;
  for (const index of collection.indexes.values()) {
    if (!coversFilter(index, conditions)) continue; // a sparse or partial index would miss documents
    let prefixes: unknown[][] = [[]];
    let length = 0;
    for (const field of index.fields) {
      const values = conditions.get(field);
      if (!values || prefixes.length * values.length > MAX_PREFIXES) break;
      prefixes = prefixes.flatMap((prefix) => values.map((value) => [...prefix, value]));
      length += 1;
    }
    const rest = index.fields.slice(length);
    // A multikey index cannot take both bounds: each may be met by a different array element.
    const found = rest.length > 0 ? ranges.get(rest[0]!) : undefined;
    const range = found && (!index.multikey || !(found.lower && found.upper)) ? found : undefined;
    const sortable =
      wantedSort.length > 0 &&
      prefixes.length <= MAX_MERGED_PREFIXES &&
      wantedSort.length <= rest.length &&
      // The index gives the order when the sorted fields never held arrays; an array in the equality
      // prefix is fine with one prefix (each document is met once), and several are merged with a check.
      wantedSort.every(([field], i) => rest[i] === field && !index.multikeyFields[length + i]);
    const forward = sortable && wantedSort.every(([, direction], i) => direction === index.directions[length + i]);
    const backward = sortable && wantedSort.every(([, direction], i) => direction === -index.directions[length + i]!);
    const providesSort = forward || backward;
    const score = length * 10 + (range ? 4 : 0) + (providesSort ? 5 : 0) + (index.spec.unique && length === index.fields.length ? 3 : 0);
    if (score > 0 && (!best || score > best.score)) {
      best = { stage: 'IXSCAN', index, prefixes, ...(range ? { range } : {}), reverse: backward && !forward, providesSort, ...(providesSort && prefixes.length > 1 ? { merge: true } : {}), score };
    }
  }
  if (!best) return { stage: 'COLLSCAN', prefixes: [], reverse: false, providesSort: false, score: 0 };
  return best;
}

/** For a filter with a plain `_id` equality: the one document it can match (null if none); otherwise undefined. */
function documentById(collection: Collection, filter: Doc): Doc | null | undefined {
  const id = filter._id;
  if (id === undefined || id === null || !isEqualityOperand(id) || (typeof id === 'object' && Object.getPrototypeOf(id) === Object.prototype)) return undefined;
  return collection.docs.get(documentKey(id)) ?? null;
}

export function compareBySort(sort: SortSpec | undefined): ((a: Doc, b: Doc) => number) | undefined {
  const fields = sortFields(sort);
  if (fields.length === 0) return undefined;
  return (a, b) => {
    for (const [field, direction] of fields) {
      const c = compareValues(getPath(a, field), getPath(b, field)) * direction;
      if (c !== 0) return c;
    }
    return 0;
  };
}

export interface FindOptions {
  sort?: SortSpec;
  skip?: number;
  limit?: number;
  /** Filled, for a `$text` query, with the score of each document returned. */
  scores?: TextScores;
}

/** Runs a query with its plan: documents matching `filter`, sorted, skipped and limited. */
export function runQuery(collection: Collection, filter: Doc, options: FindOptions = {}): Doc[] {
  const text = splitTextFilter(filter);
  if (text) return runTextQuery(collection, text, options);
  refuseTextScoreWithoutText(options.sort);
  const byId = documentById(collection, filter);
  if (byId !== undefined) {
    // The most common query of all (an update or read by _id): one lookup, no plan.
    return byId && compileFilter(filter)(byId) && (options.skip ?? 0) === 0 ? [byId] : [];
  }
  const plan = planQuery(collection, filter, options.sort);
  const matchesFilter = compileFilter(filter);
  const skip = options.skip ?? 0;
  const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
  const compare = compareBySort(options.sort);

  const matches: Doc[] = [];
  const stopAt = plan.providesSort || !compare ? skip + limit : Infinity;
  for (const doc of plan.merge ? merged(collection, plan, compare!) : candidates(collection, plan)) {
    if (!matchesFilter(doc)) continue;
    matches.push(doc);
    if (matches.length >= stopAt) break;
  }
  if (compare && !plan.providesSort) matches.sort(compare);
  return matches.slice(skip, limit === Infinity ? undefined : skip + limit);
}

function* candidates(collection: Collection, plan: Plan): Generator<Doc> {
  if (plan.stage === 'COLLSCAN' || !plan.index) {
    yield* collection.docs.values();
    return;
  }
  const seen = plan.index.multikey || plan.prefixes.length > 1 ? new Set<string>() : undefined;
  for (const prefix of plan.prefixes) {
    for (const id of plan.index.idsWithPrefix(prefix, plan.reverse, plan.range)) {
      if (seen) {
        if (seen.has(id)) continue;
        seen.add(id);
      }
      const doc = collection.docs.get(id);
      if (doc) yield doc;
    }
  }
}

/**
 * The scans of several equality prefixes, each already in sort order, merged in sort order, so a
 * query such as `{author: {$in: [...]}}` sorted by `createdAt` on `{author: 1, createdAt: -1}` reads
 * only as far as its page instead of every matching document (the feed at 250,000 articles).
 */
function* merged(collection: Collection, plan: Plan, compare: (a: Doc, b: Doc) => number): Generator<Doc> {
  const next = (ids: Generator<string>): Doc | undefined => {
    for (let step = ids.next(); !step.done; step = ids.next()) {
      const doc = collection.docs.get(step.value);
      if (doc) return doc;
    }
    return undefined;
  };
  const heads = plan.prefixes
    .map((prefix) => plan.index!.idsWithPrefix(prefix, plan.reverse, plan.range))
    .map((ids) => ({ ids, doc: next(ids) }))
    .filter((head): head is { ids: Generator<string>; doc: Doc } => head.doc !== undefined);
  // A document with an array in the prefix field is under several prefixes: it is given once.
  const seen = plan.index!.multikey ? new Set<unknown>() : undefined;
  while (heads.length > 0) {
    let first = 0;
    for (let i = 1; i < heads.length; i++) if (compare(heads[i]!.doc, heads[first]!.doc) < 0) first = i;
    const head = heads[first]!;
    if (!seen?.has(head.doc)) {
      seen?.add(head.doc);
      yield head.doc;
    }
    const following = next(head.ids);
    if (following) head.doc = following;
    else heads.splice(first, 1);
  }
}

/** The queryPlanner section of an explain answer, describing the plan the stand-in really runs. */
export function explainPlan(collection: Collection, filter: Doc, sort?: SortSpec): Doc {
  const text = splitTextFilter(filter);
  if (text) return explainTextPlan(collection, text.query, filter, sort);
  const plan = planQuery(collection, filter, sort);
  const scan =
    plan.stage === 'IXSCAN'
      ? { stage: 'IXSCAN', indexName: plan.index!.spec.name, keyPattern: plan.index!.spec.key, isMultiKey: plan.index!.multikey, direction: plan.reverse ? 'backward' : 'forward' }
      : { stage: 'COLLSCAN', direction: 'forward' };
  const fetched = plan.merge
    ? { stage: 'SORT_MERGE', sortPattern: sort, inputStages: plan.prefixes.map(() => ({ stage: 'FETCH', inputStage: scan })) }
    : plan.stage === 'IXSCAN'
      ? { stage: 'FETCH', inputStage: scan }
      : scan;
  const winningPlan = sort && Object.keys(sort).length > 0 && !plan.providesSort ? { stage: 'SORT', sortPattern: sort, inputStage: fetched } : fetched;
  return { namespace: collection.namespace, parsedQuery: filter, winningPlan, rejectedPlans: [] };
}

/** A `$text` query's plan as mongod shows it: the text index's entries for each term, fetched, then matched. */
function explainTextPlan(collection: Collection, query: TextQuery, filter: Doc, sort?: SortSpec): Doc {
  const spec = collection.textIndex;
  if (!spec) throw textIndexRequired();
  const scan = { stage: 'IXSCAN', indexName: spec.name, keyPattern: { _fts: 'text', _ftsx: 1 }, isMultiKey: true, direction: 'backward' };
  const parsedTextQuery = { terms: [...query.positiveTerms].sort(), negatedTerms: [...query.negatedTerms].sort(), phrases: query.positivePhrases, negatedPhrases: query.negatedPhrases };
  const matched = { stage: 'TEXT_MATCH', indexPrefix: {}, indexName: spec.name, parsedTextQuery, textIndexVersion: 3, inputStage: { stage: 'FETCH', inputStage: { stage: 'TEXT_OR', inputStage: scan } } };
  const winningPlan = sort && Object.keys(sort).length > 0 ? { stage: 'SORT', sortPattern: sort, inputStage: matched } : matched;
  return { namespace: collection.namespace, parsedQuery: filter, winningPlan, rejectedPlans: [] };
}
