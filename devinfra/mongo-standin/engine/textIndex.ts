import { CommandError, badValue, indexOptionsConflict } from '../errors';
import { foldCase, scoreString, terms } from './textTerms';
import { ordinal } from '../../../lib/ordinal';
import type { Doc } from './values';

/**
 * A text index as mongod keeps it (textIndexVersion 3, english): the weighted fields and, per
 * document, each term's score. The scores are computed when a query first meets a document and
 * kept with it (stored documents are replaced, never changed, so a kept score never goes stale).
 */
export interface TextIndexSpec {
  name: string;
  /** Field → integer weight (mongod truncates weights to integers), in field-name order. */
  weights: Record<string, number>;
  languageOverride: string;
}

const MAX_WORD_WEIGHT = 100_000;
const ENGLISH = new Set(['english', 'en']);

const unsupported = (what: string) => new CommandError(67, 'CannotCreateIndex', `${what} (not supported by the offline stand-in)`);

/** Whether an index key pattern asks for a text index. */
export function isTextKey(key: Record<string, unknown>): boolean {
  return Object.values(key).some((value) => value === 'text') || '_fts' in key;
}

/** Validates a createIndexes entry for a text index as mongod does, refusing what the stand-in does not model. */
export function textIndexSpec(spec: Doc): TextIndexSpec {
  const key = spec.key as Record<string, unknown>;
  const fields: string[] = [];
  for (const [field, value] of Object.entries(key)) {
    if (value !== 'text') throw unsupported('compound text indexes and _fts keys');
    if (field === '$**') throw unsupported('wildcard text indexes');
    if (field === '_fts' || field === '_ftsx') throw new CommandError(17289, 'Location17289', 'text index with reserved fields _fts/_ftsx not allowed');
    fields.push(field);
  }
  const language = spec.default_language ?? 'english';
  if (typeof language !== 'string' || !ENGLISH.has(language)) throw unsupported(`default_language ${JSON.stringify(language)}: only english is modelled`);
  if (spec.textIndexVersion !== undefined && spec.textIndexVersion !== 3) throw unsupported(`textIndexVersion ${String(spec.textIndexVersion)}`);
  const weights: Record<string, number> = Object.fromEntries(fields.map((field) => [field, 1]));
  if (spec.weights !== undefined) {
    if (!spec.weights || typeof spec.weights !== 'object' || Array.isArray(spec.weights)) throw new CommandError(17284, 'Location17284', "text index option 'weights' must be an object");
    for (const [field, weight] of Object.entries(spec.weights as Doc)) {
      if (typeof weight !== 'number') throw new CommandError(17283, 'Location17283', 'weight for text index needs numeric type');
      weights[field] = Math.trunc(weight);
    }
  }
  for (const weight of Object.values(weights)) {
    if (!(weight > 0 && weight < MAX_WORD_WEIGHT)) throw new CommandError(16674, 'Location16674', 'score for word too high');
  }
  const sorted = Object.fromEntries(Object.entries(weights).sort(([a], [b]) => ordinal(a, b)));
  const languageOverride = typeof spec.language_override === 'string' ? spec.language_override : 'language';
  const name = typeof spec.name === 'string' ? spec.name : fields.map((field) => `${field}_text`).join('_');
  return { name, weights: sorted, languageOverride };
}

/** A collection holds one text index at most; an identical request is a no-op. */
export function checkNewTextIndex(existing: TextIndexSpec | undefined, requested: TextIndexSpec): boolean {
  if (!existing) return true;
  if (existing.name === requested.name && JSON.stringify(existing.weights) === JSON.stringify(requested.weights) && existing.languageOverride === requested.languageOverride) {
    return false;
  }
  throw indexOptionsConflict(`An equivalent index already exists with a different name and options. Requested index: ${requested.name}, existing index: ${existing.name}`);
}

/** The text index as listIndexes shows it on mongod. */
export function describeTextIndex(spec: TextIndexSpec): Doc {
  return {
    v: 2,
    key: { _fts: 'text', _ftsx: 1 },
    name: spec.name,
    weights: spec.weights,
    default_language: 'english',
    language_override: spec.languageOverride,
    textIndexVersion: 3,
  };
}

const termScores = new WeakMap<Doc, Map<string, number>>();

/** The strings of a document under the index's weighted fields, in the document's field order, with their weights. */
function* weightedStrings(doc: Doc, spec: TextIndexSpec, prefix = ''): Generator<[string, number]> {
  for (const [field, value] of Object.entries(doc)) {
    const path = prefix ? `${prefix}.${field}` : field;
    const weight = spec.weights[path];
    const elements = Array.isArray(value) ? value : [value];
    for (const element of elements) {
      if (weight !== undefined && typeof element === 'string') yield [element, weight];
      else if (element && typeof element === 'object' && !Array.isArray(element) && Object.keys(spec.weights).some((weighted) => weighted.startsWith(`${path}.`))) {
        yield* weightedStrings(element as Doc, spec, path);
      }
    }
  }
}

/** Each term of a document with its score under the index, as mongod writes them into the index keys. */
export function documentTermScores(doc: Doc, spec: TextIndexSpec): Map<string, number> {
  let scores = termScores.get(doc);
  if (scores) return scores;
  const override = doc[spec.languageOverride];
  if (override !== undefined && !(typeof override === 'string' && ENGLISH.has(override))) {
    throw badValue(`language override ${JSON.stringify(override)} in a document is not supported by the offline stand-in (only english)`);
  }
  scores = new Map();
  for (const [text, weight] of weightedStrings(doc, spec)) scoreString(text, weight, scores);
  termScores.set(doc, scores);
  return scores;
}

export interface TextQuery {
  positiveTerms: Set<string>;
  negatedTerms: Set<string>;
  positivePhrases: string[];
  negatedPhrases: string[];
}

type QueryToken = { kind: 'text' | 'delimiter'; text: string; offset: number; afterSpace: boolean };

/** mongod's query parser: runs of text, and `-` and `"` as delimiters; only these five characters are white space. */
function queryTokens(search: string): QueryToken[] {
  const space = (c: string) => c === ' ' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
  const tokens: QueryToken[] = [];
  let position = 0;
  let afterSpace = true;
  while (position < search.length && space(search[position]!)) position += 1;
  while (position < search.length) {
    const start = position;
    const c = search[position]!;
    position += 1;
    const kind = c === '-' || c === '"' ? 'delimiter' : 'text';
    if (kind === 'text') while (position < search.length && !space(search[position]!) && search[position] !== '-' && search[position] !== '"') position += 1;
    tokens.push({ kind, text: search.slice(start, position), offset: start, afterSpace });
    const before = position;
    while (position < search.length && space(search[position]!)) position += 1;
    afterSpace = position > before;
  }
  return tokens;
}

/**
 * A `$search` string as mongod reads it: words, `"phrases"` (whose words are also terms), and
 * negations (`-word`, `-"a phrase"`) that last until the next white space.
 */
export function parseTextQuery(search: string): TextQuery {
  let positive = '';
  let negative = '';
  const positivePhrases: string[] = [];
  const negatedPhrases: string[] = [];
  let inNegation = false;
  let inPhrase = false;
  let quoteOffset = 0;
  for (const token of queryTokens(search)) {
    if (token.kind === 'text') {
      if (inPhrase && inNegation) continue;
      if (inNegation && token.afterSpace) inNegation = false;
      if (inNegation) negative += `${token.text} `;
      else positive += `${token.text} `;
    } else if (token.text === '-') {
      if (!inPhrase && token.afterSpace) inNegation = true;
    } else if (inPhrase) {
      const phrase = search.slice(quoteOffset + 1, token.offset);
      (inNegation ? negatedPhrases : positivePhrases).push(phrase);
      inPhrase = false;
    } else {
      inPhrase = true;
      if (inNegation && token.afterSpace) inNegation = false;
      quoteOffset = token.offset;
    }
  }
  return { positiveTerms: new Set(terms(positive)), negatedTerms: new Set(terms(negative)), positivePhrases, negatedPhrases };
}

function phraseIn(doc: Doc, spec: TextIndexSpec, phrase: string): boolean {
  const wanted = foldCase(phrase);
  for (const [text] of weightedStrings(doc, spec)) if (foldCase(text).includes(wanted)) return true;
  return false;
}

/**
 * A document's textScore for the query, or undefined when it does not match: it must hold a
 * positive term, no negated term, every positive phrase and no negated phrase. The score adds the
 * document's scores of the query's terms, in term order, as mongod's TEXT_OR stage does.
 */
export function textScore(doc: Doc, spec: TextIndexSpec, query: TextQuery): number | undefined {
  const scores = documentTermScores(doc, spec);
  let score = 0;
  let matched = false;
  for (const term of [...query.positiveTerms].sort()) {
    const termScore = scores.get(term);
    if (termScore === undefined) continue;
    matched = true;
    score += termScore;
  }
  if (!matched) return undefined;
  for (const term of query.negatedTerms) if (scores.has(term)) return undefined;
  if (!query.positivePhrases.every((phrase) => phraseIn(doc, spec, phrase))) return undefined;
  if (query.negatedPhrases.some((phrase) => phraseIn(doc, spec, phrase))) return undefined;
  return score;
}
