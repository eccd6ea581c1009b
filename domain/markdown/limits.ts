/**
 * Limits that keep the cost of rendering one body small. marked's emphasis and code-span matching
 * rescans the rest of a paragraph for every opener it cannot close, so many delimiters in one
 * paragraph cost quadratic time (`_a` repeated 32,000 times: seconds), and deep nesting or very
 * long delimiter runs recurse until the stack overflows. All checks are one linear pass over the
 * source, done before anything is parsed.
 */
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
});

export type MarkdownLimit = 'depth' | 'delimiter_runs' | 'delimiter_work' | 'delimiter_run_length';

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

/** The first limit the source breaks, or null. */
export function findLimitViolation(source: string): LimitViolation | null {
  const { maxDepth, maxDelimiterRuns, maxDelimiterWork, maxDelimiterRunLength } = MARKDOWN_LIMITS;
  const lines = source.split(/\r\n|\r|\n/);
  let fence: { char: string; length: number } | null = null;
  let runsInParagraph = 0;
  let work = 0;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    const fenceMatch = FENCE.exec(line);
    if (fence) {
      if (fenceMatch && fenceMatch[1]![0] === fence.char && fenceMatch[1]!.length >= fence.length) fence = null;
      continue;
    }
    const depth = depthOf(line);
    if (depth > maxDepth) return { limit: 'depth', message: `nests deeper than ${maxDepth} levels (markdown depth limit)`, line: i + 1 };
    if (fenceMatch) {
      fence = { char: fenceMatch[1]![0]!, length: fenceMatch[1]!.length };
      runsInParagraph = 0;
      continue;
    }
    if (BLANK.test(line)) {
      runsInParagraph = 0;
      continue;
    }
    if (THEMATIC_BREAK.test(line)) continue;
    for (const run of line.matchAll(DELIMITER_RUN)) {
      if (run[0].length > maxDelimiterRunLength) {
        return {
          limit: 'delimiter_run_length',
          message: `has a run of more than ${maxDelimiterRunLength} "${run[1]}" characters (markdown delimiter run limit)`,
          line: i + 1,
        };
      }
      runsInParagraph += 1;
      work += 2 * runsInParagraph - 1;
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
  }
  return null;
}

/**
 * Container levels a line opens: its markers (`> - 1. > …`) plus, when it starts a list item or a
 * quote, its indentation at two columns a level (the least a nested list needs). Overestimates
 * rather than underestimates.
 */
function depthOf(line: string): number {
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
  return markers === 0 ? 0 : markers + Math.floor(indent / 2);
}
