/**
 * Limits that keep the cost of rendering one body small. marked's emphasis and code-span matching
 * rescans the rest of a paragraph for every opener it cannot close, so many delimiters in one
 * paragraph cost quadratic time (`_a` repeated 32,000 times: seconds), and deep nesting or very
 * long delimiter runs recurse until the stack overflows. All checks are one linear pass over the
 * source, done before anything is parsed.
 */

import { groupedDigits } from '../numbers';
export const MARKDOWN_LIMITS = Object.freeze({
  /** Blockquote and list levels one line may open (`>`, `-`, `*`, `+`, `1.`, plus list indentation). */
  maxDepth: 32,
  /** Runs of `*`, `_`, `~` or backticks in one paragraph (text between blank lines, outside fenced code). */
  maxDelimiterRuns: 256,
  /**
   * Sum over paragraphs of (runs in the paragraph)². marked's work on runs it cannot pair grows with
   * the square of a paragraph's runs, so this bounds the whole body's work: four paragraphs of 256
   * runs, or a hundred of 50, but a paragraph with 20 bold words anywhere.
   */
  maxDelimiterWork: 262_144,
  /** Characters in one run of `*`, `_`, `~` or backticks outside fenced code and thematic breaks. */
  maxDelimiterRunLength: 64,
  /**
   * Structural size: blocks, list items, table cells and links, counted in tenths (`SIZE_WEIGHTS`).
   * Once the quadratic cases are refused, rendering is linear, but its cost follows the number of
   * elements marked, sanitize-html and the excerpt parse build, not the bytes: measured in-process
   * on the 2-core bench machine (quiet), a paragraph `a` costs ~8 µs, a one-line quote ~20 µs (a
   * block plus a `>`), a list item ~15 µs, a table cell ~8-10 µs, a link ~13-20 µs, a bare URL or
   * e-mail ~12-17 µs, a `<` 1.5-3 µs, an `&` ~1 µs — 0.4-0.5 µs a tenth on the costliest kinds
   * (fastest of 12 runs). 3,000 elements (30,000 tenths) keep every accepted 64 KiB body under ~35
   * ms in-process, while prose stays far below: 63 KB of the shared sample article counts ~600
   * elements (~10 ms), a 200-row, 5-column table ~1,600, the 4,000-line revision body ~1,200.
   */
  maxElements: 3000,
  /**
   * Lines made only of `-`, `|`, `:` (a table delimiter row, or a setext underline) in a paragraph,
   * times the lines after them in that paragraph (each weighted 16 plus its length). marked tries a
   * table at each such line and scans the rest of the paragraph for its rows, so `a\n-\n` repeated
   * costs quadratic time (2 s at 64 KiB, ~9 ns a line scanned). A real table or setext heading is one
   * such line per paragraph: a 64 KiB table counts ~0.2 M.
   */
  maxTableScanWork: 4_000_000,
  /**
   * Sum over words (runs of the characters an e-mail address may hold) of the word's length times
   * its `!`, `*`, `_`, `~`, backticks, `http` and `www.`. marked's text rule looks ahead through the
   * whole word for an `@` at each of these, so `!a.` repeated costs quadratic time (3 s at 64 KiB).
   */
  maxWordWork: 1_000_000,
});

export type MarkdownLimit = 'depth' | 'delimiter_runs' | 'delimiter_work' | 'delimiter_run_length' | 'size' | 'table_scan' | 'word_work';

/**
 * Cost of each counted thing, in tenths of an element (≈ µs of rendering, see maxElements). Fenced
 * code only counts its HTML-significant characters (escaped, then parsed again by the sanitizer).
 */
export const SIZE_WEIGHTS = Object.freeze({
  /** A line that starts a block: after a blank line, a possible block marker (`#`, `-`, `|`, `<`, …), or a table row. */
  block: 10,
  /** A line continuing a paragraph. */
  continuation: 3,
  /** Each `>` or list marker opening a container. */
  container: 25,
  /** Each `|`, and each cell a table row lacks (marked pads every row to the delimiter row's columns). */
  pipe: 10,
  /** Each `]` (a link, image or reference), `://` or `www.` (an autolink), `@` (an e-mail autolink). */
  link: 35,
  /** Each run of `*`, `_`, `~` or backticks (emphasis, code span). */
  delimiterRun: 8,
  /** A line ending in a hard break (two spaces or a backslash). */
  hardBreak: 15,
  lessThan: 7,
  ampersand: 6,
  backslash: 2,
  /** `>` inside text and quotes: escaped to entities the sanitizer parses again. */
  escaped: 4,
  /** `[` and `!`: tried as the start of a link or image. */
  bracket: 3,
  /** Each `![` (an image: its URL is checked and its element filtered, on top of the link). */
  image: 40,
  /** `<`, `&`, `>` and quotes inside fenced code (escaped to entities). */
  codeEntity: 3,
});

export interface LimitViolation {
  limit: MarkdownLimit;
  /** Completes "body …", e.g. "nests deeper than 32 levels (markdown depth limit)". */
  message: string;
  line: number;
}

const FENCE = /^(?:[ \t]*(?:>|[-*+][ \t]|\d{1,9}[.)][ \t]))*[ \t]*(`{3,}|~{3,})/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const BLANK = /^[ \t]*$/;
const DELIMITER_RUN = /([*_~`])\1*/g;
const CONTAINER_MARKER = /[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))/y;
/** A line that may start a block even inside a paragraph (or underline one): counted as a block. */
const MAY_START_BLOCK = /^[ \t>]*(?:[#>\-*+=|<_~`]|\d{1,9}[.)])/;
/** A table delimiter row or setext underline candidate (containers stripped). */
const DELIMITER_ROW = /^[ \t>]*[|: \t]*-[-|: \t]*$/;
const HARD_BREAK = /(?: {2,}|\\)$/;
/** Characters an e-mail address may hold: marked's text rule looks through such a run for an `@`. */
const WORD = /[A-Za-z0-9.!#$%&'*+/=?_`{|}~-]{2,}/g;
const WORD_BREAK = /[!*_~`]|[hH][tT][tT][pP]|www\./g;

/** The first limit the source breaks, or null. */
export function findLimitViolation(source: string): LimitViolation | null {
  const { maxDepth, maxDelimiterRuns, maxDelimiterWork, maxDelimiterRunLength, maxElements, maxTableScanWork, maxWordWork } = MARKDOWN_LIMITS;
  const W = SIZE_WEIGHTS;
  const maxTenths = maxElements * 10;
  const lines = source.split(/\r\n|\r|\n/);
  let fence: { char: string; length: number } | null = null;
  let runsInParagraph = 0;
  let work = 0;
  let tenths = 0;
  let previousBlank = true;
  let delimiterRowsInParagraph = 0;
  let tableColumns = 0;
  let tableScanWork = 0;
  let wordWork = 0;
  const sizeViolation = (line: number): LimitViolation => ({
    limit: 'size',
    message: `has more than ${groupedDigits(maxElements)} blocks, list items, table cells and links (markdown size limit)`,
    line,
  });
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    const fenceMatch = FENCE.exec(line);
    if (fence) {
      if (fenceMatch && fenceMatch[1]![0] === fence.char && fenceMatch[1]!.length >= fence.length) fence = null;
      else tenths += W.continuation + htmlCharacterTenths(line);
      if (tenths > maxTenths) return sizeViolation(i + 1);
      continue;
    }
    const { depth, markers } = depthOf(line);
    if (depth > maxDepth) return { limit: 'depth', message: `nests deeper than ${maxDepth} levels (markdown depth limit)`, line: i + 1 };
    if (fenceMatch) {
      fence = { char: fenceMatch[1]![0]!, length: fenceMatch[1]!.length };
      runsInParagraph = 0;
      delimiterRowsInParagraph = 0;
      tableColumns = 0;
      previousBlank = true;
      tenths += W.block + markers * W.container;
      continue;
    }
    if (BLANK.test(line)) {
      runsInParagraph = 0;
      delimiterRowsInParagraph = 0;
      tableColumns = 0;
      previousBlank = true;
      continue;
    }
    // A line after a delimiter row in the same paragraph may be a table row: counted as a block.
    const startsBlock = previousBlank || delimiterRowsInParagraph > 0 || MAY_START_BLOCK.test(line);
    previousBlank = false;
    const pipes = countPipes(line);
    tenths += (startsBlock ? W.block : W.continuation) + markers * W.container + inlineTenths(line) + Math.max(0, tableColumns - pipes) * W.pipe;
    const thematicBreak = THEMATIC_BREAK.test(line);
    for (const run of thematicBreak ? [] : line.matchAll(DELIMITER_RUN)) {
      if (run[0].length > maxDelimiterRunLength) {
        return {
          limit: 'delimiter_run_length',
          message: `has a run of more than ${maxDelimiterRunLength} "${run[1]}" characters (markdown delimiter run limit)`,
          line: i + 1,
        };
      }
      runsInParagraph += 1;
      work += 2 * runsInParagraph - 1;
      tenths += W.delimiterRun;
      if (runsInParagraph > maxDelimiterRuns) {
        return {
          limit: 'delimiter_runs',
          message: `has more than ${maxDelimiterRuns} runs of *, _, ~ or \` in one paragraph (markdown delimiter limit)`,
          line: i + 1,
        };
      }
      if (work > maxDelimiterWork) {
        return {
          limit: 'delimiter_work',
          message: `uses *, _, ~ or \` too densely: the squares of each paragraph's runs add up to more than ${maxDelimiterWork} (markdown delimiter limit)`,
          line: i + 1,
        };
      }
    }
    tableScanWork += delimiterRowsInParagraph * (line.length + 16);
    if (tableScanWork > maxTableScanWork) {
      return {
        limit: 'table_scan',
        message: `has too many lines of only "-", "|" and ":" without a blank line between them (markdown table limit)`,
        line: i + 1,
      };
    }
    if (!thematicBreak && DELIMITER_ROW.test(line)) {
      delimiterRowsInParagraph += 1;
      tableColumns = Math.max(tableColumns, pipes + 1);
    }
    for (const word of line.matchAll(WORD)) {
      const breaks = word[0].match(WORD_BREAK)?.length ?? 0;
      wordWork += breaks * word[0].length;
    }
    if (wordWork > maxWordWork) {
      return {
        limit: 'word_work',
        message: `has words too long and too full of !, *, _, ~ or \` (markdown word limit)`,
        line: i + 1,
      };
    }
    if (tenths > maxTenths) return sizeViolation(i + 1);
  }
  return null;
}

/** Tenths for the inline content of a line outside fenced code (see SIZE_WEIGHTS). */
function inlineTenths(line: string): number {
  const W = SIZE_WEIGHTS;
  let tenths = HARD_BREAK.test(line) ? W.hardBreak : 0;
  for (let at = 0; at < line.length; at += 1) {
    switch (line.charCodeAt(at)) {
      case 0x7c /* | */: tenths += W.pipe; break;
      case 0x3c /* < */: tenths += W.lessThan; break;
      case 0x26 /* & */: tenths += W.ampersand; break;
      case 0x5c /* \ */: tenths += W.backslash; break;
      case 0x40 /* @ */: tenths += W.link; break;
      case 0x5d /* ] */: tenths += W.link; break;
      case 0x3a /* : */: if (line.startsWith('//', at + 1) && !isLinkDestination(line, at)) tenths += W.link; break;
      case 0x77 /* w */: case 0x57 /* W */: if (line.startsWith('ww.', at + 1)) tenths += W.link; break;
      case 0x3e /* > */: case 0x22 /* " */: case 0x27 /* ' */: tenths += W.escaped; break;
      case 0x5b /* [ */: tenths += W.bracket; break;
      case 0x21 /* ! */: tenths += line.charCodeAt(at + 1) === 0x5b /* [ */ ? W.image : W.bracket; break;
      default: break;
    }
  }
  return tenths;
}

/** Whether the scheme ending at `colon` follows `(`: a link's destination, already counted at its `]`. */
function isLinkDestination(line: string, colon: number): boolean {
  let at = colon - 1;
  while (at >= 0 && /[A-Za-z]/.test(line[at]!)) at -= 1;
  return at >= 0 && line[at] === '(';
}

function countPipes(line: string): number {
  let pipes = 0;
  for (let at = line.indexOf('|'); at !== -1; at = line.indexOf('|', at + 1)) pipes += 1;
  return pipes;
}

/** Tenths for a line of fenced code: its characters the sanitizer sees as entities. */
function htmlCharacterTenths(line: string): number {
  let tenths = 0;
  for (let at = 0; at < line.length; at += 1) {
    const c = line.charCodeAt(at);
    if (c === 0x3c || c === 0x26 || c === 0x3e || c === 0x22 || c === 0x27) tenths += SIZE_WEIGHTS.codeEntity;
  }
  return tenths;
}

/**
 * Container levels a line opens: its markers (`> - 1. > …`) plus, when it starts a list item or a
 * quote, its indentation at two columns a level (the least a nested list needs). Overestimates
 * rather than underestimates.
 */
function depthOf(line: string): { depth: number; markers: number } {
  let indent = 0;
  let at = 0;
  for (; at < line.length; at += 1) {
    const c = line[at];
    if (c === ' ') indent += 1;
    else if (c === '\t') indent += 4 - (indent % 4);
    else break;
  }
  let markers = 0;
  CONTAINER_MARKER.lastIndex = at;
  // Counting stops one past the limit: a line of 60,000 `>` costs no more than one of 33.
  while (markers <= MARKDOWN_LIMITS.maxDepth && CONTAINER_MARKER.test(line)) markers += 1;
  return { depth: markers === 0 ? 0 : markers + Math.floor(indent / 2), markers };
}
