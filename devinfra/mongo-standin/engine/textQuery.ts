import { CommandError, badValue } from '../errors';
import type { Collection } from './collection';
import { compileFilter } from './matcher';
import { parseTextQuery, textScore, type TextQuery } from './textIndex';
import { compareValues, getPath, type Doc } from './values';

/** Text scores of the documents a `$text` query returned, for `{$meta: 'textScore'}` in projections and sorts. */
export type TextScores = Map<Doc, number>;

export const textIndexRequired = () => new CommandError(27, 'IndexNotFound', 'text index required for $text query');
const noTextScore = () => new CommandError(40218, 'Location40218', 'query requires text score metadata, but it is not available');

const isPlainObject = (value: unknown): value is Doc => !!value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;

function nestedText(inside: string): CommandError {
  if (inside === '$nor') return badValue('text expression not allowed in nor');
  if (inside === '$elemMatch' || inside === '$not') return badValue('$text can only be applied to the top-level document');
  return badValue(`$text inside ${inside} (not supported by the offline stand-in: put $text at the top level of the filter)`);
}

/**
 * Refuses `$text` anywhere but at the top level of a filter: as mongod does under `$nor`, `$not`
 * and `$elemMatch`; under `$and`/`$or` the stand-in refuses what mongod could plan.
 */
function refuseNestedText(filter: Doc, inside?: string): void {
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$text' && inside !== undefined) throw nestedText(inside);
    if ((key === '$and' || key === '$or' || key === '$nor') && Array.isArray(condition)) {
      for (const branch of condition) if (isPlainObject(branch)) refuseNestedText(branch, inside ?? key);
    } else if (!key.startsWith('$') && isPlainObject(condition)) {
      for (const operator of ['$elemMatch', '$not'] as const) {
        const nested = condition[operator];
        if (isPlainObject(nested)) refuseNestedText(nested, operator);
      }
    }
  }
}

export interface TextFilter {
  query: TextQuery;
  /** The rest of the filter, matched as usual. */
  rest: Doc;
}

/** Splits a filter with a top-level `$text` into the text query and the rest; undefined without `$text`. */
export function splitTextFilter(filter: Doc): TextFilter | undefined {
  if (!('$text' in filter)) {
    refuseNestedText(filter);
    return undefined;
  }
  const { $text: text, ...rest } = filter;
  refuseNestedText(rest);
  if (!text || typeof text !== 'object' || Array.isArray(text)) throw badValue('$text expects an object');
  const options = text as Doc;
  for (const key of Object.keys(options)) {
    if (!['$search', '$language', '$caseSensitive', '$diacriticSensitive'].includes(key)) throw badValue(`extra fields in $text: ${key}`);
  }
  if (typeof options.$search !== 'string') throw new CommandError(14, 'TypeMismatch', '$search requires a string value');
  if (options.$language !== undefined && options.$language !== 'english' && options.$language !== 'en') {
    throw badValue(`$language ${JSON.stringify(options.$language)} (not supported by the offline stand-in: only english)`);
  }
  if (options.$caseSensitive === true || options.$diacriticSensitive === true) {
    throw badValue('$caseSensitive and $diacriticSensitive (not supported by the offline stand-in)');
  }
  return { query: parseTextQuery(options.$search), rest };
}

/** The documents matching the text query, each with its score. */
export function textMatches(collection: Collection, query: TextQuery): TextScores {
  const spec = collection.textIndex;
  if (!spec) throw textIndexRequired();
  const scores: TextScores = new Map();
  if (query.positiveTerms.size === 0) return scores;
  for (const doc of collection.docs.values()) {
    const score = textScore(doc, spec, query);
    if (score !== undefined) scores.set(doc, score);
  }
  return scores;
}

/** Whether a sort or projection value is `{$meta: 'textScore'}`. */
export function isTextScoreMeta(value: unknown): boolean {
  return !!value && typeof value === 'object' && (value as Doc).$meta === 'textScore' && Object.keys(value as Doc).length === 1;
}

/** Refuses `{$meta: 'textScore'}` in a sort or projection of a query without `$text`, as mongod does. */
export function refuseTextScoreWithoutText(...specs: (Doc | undefined)[]): void {
  for (const spec of specs) if (spec && Object.values(spec).some(isTextScoreMeta)) throw noTextScore();
}

/** A projection's `{$meta: 'textScore'}` fields, and the projection without them. */
export function splitMetaProjection(projection: Doc | undefined): { fields: string[]; rest: Doc | undefined } {
  if (!projection) return { fields: [], rest: projection };
  const fields = Object.keys(projection).filter((field) => isTextScoreMeta(projection[field]));
  if (fields.length === 0) return { fields, rest: projection };
  const rest = Object.fromEntries(Object.entries(projection).filter(([field]) => !fields.includes(field)));
  return { fields, rest };
}

/** Sorts by the sort spec, where `{$meta: 'textScore'}` puts higher scores first. */
function compareWithScores(sort: Doc | undefined, scores: TextScores): ((a: Doc, b: Doc) => number) | undefined {
  const keys = Object.entries(sort ?? {});
  if (keys.length === 0) return undefined;
  return (a, b) => {
    for (const [field, direction] of keys) {
      const c = isTextScoreMeta(direction) ? scores.get(b)! - scores.get(a)! : compareValues(getPath(a, field), getPath(b, field)) * (Number(direction) < 0 ? -1 : 1);
      if (c !== 0) return c;
    }
    return 0;
  };
}

/**
 * Runs a filter with a top-level `$text`: the documents the text query matches (each scored), then
 * the rest of the filter, sorted (by score where the sort asks for it), skipped and limited. Their
 * scores are added to `scores` for the projection.
 */
export function runTextQuery(collection: Collection, text: TextFilter, options: { sort?: Doc; skip?: number; limit?: number; scores?: TextScores }): Doc[] {
  const scores = textMatches(collection, text.query);
  const matchesRest = compileFilter(text.rest);
  const matches = [...scores.keys()].filter((doc) => matchesRest(doc));
  const compare = compareWithScores(options.sort, scores);
  if (compare) matches.sort(compare);
  const skip = options.skip ?? 0;
  const limit = options.limit && options.limit > 0 ? options.limit : undefined;
  const page = matches.slice(skip, limit === undefined ? undefined : skip + limit);
  if (options.scores) for (const doc of page) options.scores.set(doc, scores.get(doc)!);
  return page;
}
