import { newStemmer } from 'snowball-stemmers';

/**
 * How mongod (text index version 3, language english) turns a string into terms: split at
 * delimiters, lowercase, drop English stop words, Snowball English stem, strip diacritics.
 * Written from the behaviour of src/mongo/db/fts (unicode tokenizer, stop word list, stemmer).
 */

/**
 * mongod's delimiters are the code points with the Unicode properties White_Space, Dash, Hyphen,
 * Quotation_Mark, Terminal_Punctuation, Pattern_Syntax and STerm; for English the apostrophe is not
 * one (so "don't" stays a word, and a stop word). JavaScript has no `Hyphen` property (it is
 * deprecated), so its code points are listed.
 */
const DELIMITER =
  /[\p{White_Space}\p{Dash}\p{Quotation_Mark}\p{Terminal_Punctuation}\p{Pattern_Syntax}\p{Sentence_Terminal}\u00AD\u058A\u1806\u2010\u2011\u2E17\u30FB\uFE63\uFF0D\uFF65]/u;

function isDelimiter(character: string): boolean {
  return character !== "'" && DELIMITER.test(character);
}

/** mongod's English stop words (src/mongo/db/fts/stop_words_english.txt), compared lowercased. */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "a about above after again against all am an and any are aren't as at be because been before being below between both but by " +
    "can't cannot could couldn't did didn't do does doesn't doing don't down during each few for from further had hadn't has hasn't " +
    "have haven't having he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into is " +
    "isn't it it's its itself let's me more most mustn't my myself no nor not of off on once only or other ought our ours ourselves " +
    "out over own same shan't she she'd she'll she's should shouldn't so some such than that that's the their theirs them themselves " +
    "then there there's these they they'd they'll they're they've this those through to too under until up very was wasn't we we'd " +
    "we'll we're we've were weren't what what's when when's where where's which while who who's whom why why's with won't would " +
    "wouldn't you you'd you'll you're you've your yours yourself yourselves"
  ).split(' '),
);

const stemmer = newStemmer('english');

/** The words of a string: the runs of non-delimiters, as they are written. */
export function words(text: string): string[] {
  const found: string[] = [];
  let current = '';
  for (const character of text) {
    if (isDelimiter(character)) {
      if (current) found.push(current);
      current = '';
    } else {
      current += character;
    }
  }
  if (current) found.push(current);
  return found;
}

/** Lowercase without diacritics: how mongod compares terms and phrases when neither case nor diacritics matter. */
export function foldCase(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '').normalize('NFC');
}

/** The index terms of a string, in order, stop words left out (the stemmer sees the word with its diacritics). */
export function terms(text: string): string[] {
  const found: string[] = [];
  for (const word of words(text)) {
    const lower = word.toLowerCase();
    if (ENGLISH_STOP_WORDS.has(lower)) continue;
    found.push(foldCase(stemmer.stem(lower)));
  }
  return found;
}

/**
 * mongod's score of each term in one string of a document, added to `scores` (FTSSpec's
 * `_scoreStringV2`): a term seen n times among the string's N terms scores
 * `weight × (1 + 1/2 + … + 1/2^(n−1)) × (0.5 + 0.5·n/N)`, times 1.1 when the whole string is that
 * term (case aside).
 */
export function scoreString(text: string, weight: number, scores: Map<string, number>): void {
  const counted = new Map<string, { count: number; freq: number; exp: number }>();
  const found = terms(text);
  for (const term of found) {
    const data = counted.get(term) ?? { count: 0, freq: 0, exp: 0 };
    data.exp = data.exp === 0 ? 1 : data.exp * 2;
    data.count += 1;
    data.freq += 1 / data.exp;
    counted.set(term, data);
  }
  const rawBytes = Buffer.byteLength(text);
  for (const [term, data] of counted) {
    const coeff = (0.5 * data.count) / found.length + 0.5;
    const adjustment = rawBytes === Buffer.byteLength(term) && text.toLowerCase() === term ? 1.1 : 1;
    scores.set(term, (scores.get(term) ?? 0) + weight * data.freq * coeff * adjustment);
  }
}
