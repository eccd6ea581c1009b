import { randomBytes } from 'node:crypto';

/**
 * What differs between readers in an article as the API presents it: `favorited`, `favoriteVote` and
 * the author's `following`. Everything else is the same for every reader, so it is presented and
 * serialised once (the anonymous answer) and each reader's answer is that JSON with these three values
 * written in (docs/architecture.md, "Shared answers").
 */
export interface ViewerMarks {
  favorited: boolean;
  favoriteVote: unknown;
  following: boolean;
}

export interface ArticleRef {
  id: string;
  author: string;
}

/**
 * An anonymous answer and where in it each article's reader-specific values sit: `starts[i]` is the
 * byte offset of slot i's anonymous literal (`false`, `null` or `false`), `kinds[i]` which value it is,
 * `articleOf[i]` which of `articles` it belongs to.
 */
export interface SlottedAnswer {
  body: Buffer;
  articles: ArticleRef[];
  starts: Uint32Array;
  kinds: Uint8Array;
  articleOf: Uint16Array;
}

const KINDS = ['favorited', 'favoriteVote', 'following'] as const;
const ANONYMOUS_LITERAL = ['false', 'null', 'false'] as const;
const ANONYMOUS_LENGTH = ANONYMOUS_LITERAL.map((literal) => literal.length);

/** Marks no article title or body can contain: a secret of this process. */
const NONCE = randomBytes(12).toString('hex');
const MARK = new RegExp(`"${NONCE}:([012]):(\\d+)"`, 'g');
const mark = (kind: number, article: number) => `${NONCE}:${kind}:${article}`;

export interface PresentedArticle {
  favorited: boolean;
  favoriteVote: unknown;
  author: { following: boolean };
}

/**
 * Serialises `value` (an answer holding `presented`, the articles as an anonymous reader sees them)
 * and records where each article's reader-specific values are.
 */
export function slottedAnswer(value: unknown, presented: PresentedArticle[], articles: ArticleRef[]): SlottedAnswer {
  presented.forEach((article, i) => {
    Object.assign(article, { favorited: mark(0, i), favoriteVote: mark(1, i) });
    Object.assign(article.author, { following: mark(2, i) });
  });
  const json = JSON.stringify(value);
  const pieces: string[] = [];
  const starts: number[] = [];
  const kinds: number[] = [];
  const articleOf: number[] = [];
  let bytes = 0;
  let from = 0;
  for (const match of json.matchAll(MARK)) {
    const before = json.slice(from, match.index);
    const kind = Number(match[1]);
    pieces.push(before, ANONYMOUS_LITERAL[kind]!);
    bytes += Buffer.byteLength(before);
    starts.push(bytes);
    kinds.push(kind);
    articleOf.push(Number(match[2]));
    bytes += ANONYMOUS_LENGTH[kind]!;
    from = match.index + match[0].length;
  }
  pieces.push(json.slice(from));
  presented.forEach((article) => {
    Object.assign(article, { favorited: false, favoriteVote: null });
    Object.assign(article.author, { following: false });
  });
  const text = pieces.join('');
  const body = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  body.write(text, 'utf8');
  return { body, articles, starts: Uint32Array.from(starts), kinds: Uint8Array.from(kinds), articleOf: Uint16Array.from(articleOf) };
}

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

/** The answer as the reader with these marks (one per article, in `answer.articles` order) sees it. */
export function answerForViewer(answer: SlottedAnswer, marks: ViewerMarks[]): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (let i = 0; i < answer.starts.length; i += 1) {
    const start = answer.starts[i]!;
    const kind = answer.kinds[i]!;
    const own = marks[answer.articleOf[i]!]!;
    parts.push(answer.body.subarray(from, start));
    const value = own[KINDS[kind]!];
    parts.push(value === true ? TRUE : value === false ? FALSE : value === null ? NULL : Buffer.from(JSON.stringify(value)));
    from = start + ANONYMOUS_LENGTH[kind]!;
  }
  parts.push(answer.body.subarray(from));
  return Buffer.concat(parts);
}

/** Bytes a slotted answer holds beyond its body (counted against the read cache's budget). */
export function slotBytes(answer: SlottedAnswer): number {
  return answer.starts.byteLength + answer.kinds.byteLength + answer.articleOf.byteLength + answer.articles.reduce((sum, ref) => sum + 2 * (ref.id.length + ref.author.length) + 64, 0);
}
