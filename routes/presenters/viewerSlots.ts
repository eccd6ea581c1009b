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
  /** The article's voteSeq as presented here: a vote's patch replaces it only with a later one. */
  voteSeq?: number | undefined;
}

/**
 * How the articles of an answer are presented, when a vote may patch them in place: each on its own
 * (`one`, with its body) or as a list entry (`list`). Answers presented otherwise (a feed's entries
 * name who reblogged them) are invalidated instead.
 */
export type PresentedAs = 'one' | 'list';

/**
 * An anonymous answer and where in it each article's reader-specific values sit: `starts[i]` is the
 * byte offset of slot i's anonymous literal (`false`, `null` or `false`), `kinds[i]` which value it is,
 * `articleOf[i]` which of `articles` it belongs to. Article j's JSON is bytes `spans[4j]` to
 * `spans[4j + 3]`, its author's `spans[4j + 1]` to `spans[4j + 2]`, so a vote can replace them
 * (`patchedAnswer`).
 */
export interface SlottedAnswer {
  body: Buffer;
  articles: ArticleRef[];
  starts: Uint32Array;
  kinds: Uint8Array;
  articleOf: Uint16Array;
  spans: Uint32Array;
  presentedAs?: PresentedAs | undefined;
}

const KINDS = ['favorited', 'favoriteVote', 'following'] as const;
const ANONYMOUS_LITERAL = ['false', 'null', 'false'] as const;
const ANONYMOUS_LENGTH = ANONYMOUS_LITERAL.map((literal) => literal.length);

/** Marks no article title or body can contain: a secret of this process. */
const NONCE = randomBytes(12).toString('hex');
const SLOT_MARK = new RegExp(`"${NONCE}:([012])"`, 'g');
const ARTICLE_MARK = new RegExp(`"${NONCE}:a:(\\d+)"`, 'g');
const AUTHOR_MARK = `"${NONCE}:author"`;

export interface PresentedArticle {
  favorited: boolean;
  favoriteVote: unknown;
  author: { following: boolean };
}

/** JSON as bytes, with where its reader-specific values sit in them. */
interface Slotted {
  bytes: Buffer;
  slots: { at: number; kind: number }[];
}

/** An article's anonymous JSON in three parts: before its author, its author, after. */
interface ArticleBytes {
  head: Slotted;
  author: Slotted;
  tail: Slotted;
}

/** JSON holding slot marks, as the anonymous literals and where they are. */
function slotted(json: string): Slotted {
  const pieces: string[] = [];
  const slots: Slotted['slots'] = [];
  let bytes = 0;
  let from = 0;
  for (const match of json.matchAll(SLOT_MARK)) {
    const before = json.slice(from, match.index);
    const kind = Number(match[1]);
    pieces.push(before, ANONYMOUS_LITERAL[kind]!);
    bytes += Buffer.byteLength(before);
    slots.push({ at: bytes, kind });
    bytes += ANONYMOUS_LENGTH[kind]!;
    from = match.index + match[0].length;
  }
  pieces.push(json.slice(from));
  return { bytes: Buffer.from(pieces.join(''), 'utf8'), slots };
}

function articleBytes(article: PresentedArticle): ArticleBytes {
  const { author } = article;
  Object.assign(article, { favorited: `${NONCE}:0`, favoriteVote: `${NONCE}:1` });
  Object.assign(author, { following: `${NONCE}:2` });
  const json = JSON.stringify(article, (_key, item: unknown) => (item === author ? `${NONCE}:author` : item));
  const authorJson = JSON.stringify(author);
  Object.assign(article, { favorited: false, favoriteVote: null });
  Object.assign(author, { following: false });
  const at = json.indexOf(AUTHOR_MARK);
  return { head: slotted(json.slice(0, at)), author: slotted(authorJson), tail: slotted(json.slice(at + AUTHOR_MARK.length)) };
}

/** An answer's bytes laid out part by part, with its slots and its articles' spans. */
class Layout {
  private readonly parts: Buffer[] = [];
  private length = 0;
  private readonly starts: number[] = [];
  private readonly kinds: number[] = [];
  private readonly articleOf: number[] = [];
  readonly spans: Uint32Array;
  /** The next slot of the answer being copied from (`copy` walks it in order). */
  private slot = 0;

  constructor(articles: number) {
    this.spans = new Uint32Array(4 * articles);
  }

  bytes(bytes: Buffer): void {
    this.parts.push(bytes);
    this.length += bytes.length;
  }

  slotted(part: Slotted, article: number): void {
    for (const slot of part.slots) {
      this.starts.push(this.length + slot.at);
      this.kinds.push(slot.kind);
      this.articleOf.push(article);
    }
    this.bytes(part.bytes);
  }

  /** Marks where part `part` (0: start, 1: author's start, 2: author's end, 3: end) of article `article` is. */
  span(article: number, part: number): void {
    this.spans[4 * article + part] = this.length;
  }

  article(index: number, article: ArticleBytes): void {
    this.span(index, 0);
    this.slotted(article.head, index);
    this.span(index, 1);
    this.slotted(article.author, index);
    this.span(index, 2);
    this.slotted(article.tail, index);
    this.span(index, 3);
  }

  /** Bytes `from` to `to` of `answer` as they are, with the slots among them; slots before `from` are skipped. */
  copy(answer: SlottedAnswer, from: number, to: number): void {
    while (this.slot < answer.starts.length && answer.starts[this.slot]! < from) this.slot += 1;
    const shift = this.length - from;
    for (; this.slot < answer.starts.length && answer.starts[this.slot]! < to; this.slot += 1) {
      this.starts.push(answer.starts[this.slot]! + shift);
      this.kinds.push(answer.kinds[this.slot]!);
      this.articleOf.push(answer.articleOf[this.slot]!);
    }
    this.bytes(answer.body.subarray(from, to));
  }

  /**
   * The answer in a buffer of its own: a small Buffer.concat would be a slice of a shared pool slab
   * and keep the whole slab alive for as long as the answer is cached.
   */
  finish(articles: ArticleRef[], presentedAs: PresentedAs | undefined): SlottedAnswer {
    const body = Buffer.allocUnsafeSlow(this.length);
    let at = 0;
    for (const part of this.parts) at += part.copy(body, at);
    return {
      body,
      articles,
      starts: Uint32Array.from(this.starts),
      kinds: Uint8Array.from(this.kinds),
      articleOf: Uint16Array.from(this.articleOf),
      spans: this.spans,
      ...(presentedAs ? { presentedAs } : {}),
    };
  }
}

/**
 * Serialises `value` (an answer holding `presented`, the articles as an anonymous reader sees them)
 * and records where each article, its author, and each of its reader-specific values are.
 */
export function slottedAnswer(value: unknown, presented: PresentedArticle[], articles: ArticleRef[], presentedAs?: PresentedAs): SlottedAnswer {
  const indexOf = new Map<unknown, number>(presented.map((article, i) => [article, i]));
  // The answer around its articles, each article a placeholder: every article is serialised on its own.
  const skeleton = JSON.stringify(value, (_key, item: unknown) => {
    const index = indexOf.get(item);
    return index === undefined ? item : `${NONCE}:a:${index}`;
  });
  const layout = new Layout(presented.length);
  let from = 0;
  let expected = 0;
  for (const match of skeleton.matchAll(ARTICLE_MARK)) {
    const index = Number(match[1]);
    // A patch walks the articles in their order: they must appear in it, each once.
    if (index !== expected++) throw new Error('a slotted answer must hold its articles once each, in the order given');
    layout.bytes(Buffer.from(skeleton.slice(from, match.index), 'utf8'));
    layout.article(index, articleBytes(presented[index]!));
    from = match.index + match[0].length;
  }
  if (expected !== presented.length) throw new Error('a slotted answer must hold every article it is given');
  layout.bytes(Buffer.from(skeleton.slice(from), 'utf8'));
  return layout.finish(articles, presentedAs);
}

/** A vote's change to one article: its voteSeq after the vote, and the article presented anew. */
export interface ArticleChange {
  id: string;
  author: string;
  voteSeq: number;
  present: (as: PresentedAs) => PresentedArticle;
}

/** What a change presents, serialised once per way of presenting however many answers it patches. */
const serialisedChanges = new WeakMap<ArticleChange, Map<PresentedAs, ArticleBytes>>();

function freshBytes(change: ArticleChange, as: PresentedAs): ArticleBytes {
  let byWay = serialisedChanges.get(change);
  if (!byWay) serialisedChanges.set(change, (byWay = new Map()));
  let bytes = byWay.get(as);
  if (!bytes) byWay.set(as, (bytes = articleBytes(change.present(as))));
  return bytes;
}

/**
 * The answer with the article `change` names presented anew where it shows an earlier vote, and its
 * author (whose reputation the vote moved) written anew into the author's other articles; the same
 * answer when nothing in it changes. Answers not presented for patching are returned as they are.
 */
export function patchedAnswer(answer: SlottedAnswer, change: ArticleChange): SlottedAnswer {
  if (!answer.presentedAs) return answer;
  const stale = (ref: ArticleRef) => ref.id === change.id && (ref.voteSeq === undefined || ref.voteSeq < change.voteSeq);
  if (!answer.articles.some(stale)) return answer;
  const fresh = freshBytes(change, answer.presentedAs);
  const { spans, body } = answer;
  const layout = new Layout(answer.articles.length);
  let from = 0;
  const articles = answer.articles.map((ref, index) => {
    const [start, authorStart, authorEnd, end] = spans.subarray(4 * index, 4 * index + 4);
    layout.copy(answer, from, start!);
    from = end!;
    if (stale(ref)) {
      layout.article(index, fresh);
      return { ...ref, voteSeq: change.voteSeq };
    }
    layout.span(index, 0);
    layout.copy(answer, start!, authorStart!);
    layout.span(index, 1);
    if (ref.author === change.author) layout.slotted(fresh.author, index);
    else layout.copy(answer, authorStart!, authorEnd!);
    layout.span(index, 2);
    layout.copy(answer, authorEnd!, end!);
    layout.span(index, 3);
    return ref;
  });
  layout.copy(answer, from, body.length);
  return layout.finish(articles, answer.presentedAs);
}

/** A reader's value as it is written into a slot: the JSON of true, false and null spelled once. */
function slotValue(value: unknown): string {
  return value === true ? 'true' : value === false ? 'false' : value === null ? 'null' : JSON.stringify(value);
}

/**
 * The answer as the reader with these marks (one per article, in `answer.articles` order) sees it:
 * the shared bytes with the slots where the reader's value differs from the anonymous one rewritten,
 * sized first and filled in one buffer. This is the hot path of every signed-in read, and a reader
 * differs in a few of a list's 60 slots; when in none, the shared bytes are the answer.
 */
export function answerForViewer(answer: SlottedAnswer, marks: ViewerMarks[]): Buffer {
  const { body, starts, kinds, articleOf } = answer;
  const slots: number[] = [];
  const values: string[] = [];
  let length = body.length;
  for (let i = 0; i < starts.length; i += 1) {
    const kind = kinds[i]!;
    const value = slotValue(marks[articleOf[i]!]![KINDS[kind]!]);
    if (value === ANONYMOUS_LITERAL[kind]) continue;
    slots.push(i);
    values.push(value);
    length += Buffer.byteLength(value) - ANONYMOUS_LENGTH[kind]!;
  }
  if (slots.length === 0) return body;
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  let from = 0;
  slots.forEach((slot, n) => {
    const start = starts[slot]!;
    at += body.copy(out, at, from, start);
    at += out.write(values[n]!, at);
    from = start + ANONYMOUS_LENGTH[kinds[slot]!]!;
  });
  body.copy(out, at, from);
  return out;
}

/** Bytes a slotted answer holds beyond its body (counted against the read cache's budget). */
export function slotBytes(answer: SlottedAnswer): number {
  return answer.starts.byteLength + answer.kinds.byteLength + answer.articleOf.byteLength + answer.spans.byteLength + answer.articles.reduce((sum, ref) => sum + 2 * (ref.id.length + ref.author.length) + 72, 0);
}
