import type { ParsedUrlQuery } from 'node:querystring';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../lib/clock';
import { ChangeLog, type ChangeRun } from './changeLog';
import { ReaderMemo } from './readerMemo';
import { patchedAnswer, slotBytes, type ArticleChange, type SlottedAnswer } from '../routes/presenters/viewerSlots';

/**
 * The cache key a route gives an anonymous GET of `path` with `query`, after validating the query
 * with the route's own schema; undefined when the route does not cache that request (or its query
 * is invalid, which the route then answers with a 422). `origin` gives the scheme and host the request
 * was made to, worked out when called: only keys that hold it (the site's pages) pay for it.
 */
export type ReadKeyFunction = (path: string, query: ParsedUrlQuery, origin: () => string) => string | undefined;

const NO_ORIGIN = () => '';

/** The cache key a route gives a GET by `reader` (a user id) of an answer kept for that reader alone; undefined when it keeps none. */
export type ReaderKeyFunction = (path: string, query: ParsedUrlQuery, reader: string) => string | undefined;

/**
 * A cached answer: its bytes, their media type, and headers sent with them (a page's validators and
 * policy). The API's JSON answers carry no headers of their own.
 */
export interface CachedAnswer {
  readonly body: Buffer;
  readonly type: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** An answer to keep, with the tags a write invalidates it by (see `Entry`). */
export interface TaggedAnswer extends CachedAnswer {
  readonly tags: readonly string[];
}

export const JSON_TYPE = 'application/json; charset=utf-8';

export interface ReadCacheOptions {
  /** How long an answer is served (writes by other processes appear within this). */
  ttlMs?: number;
  /** Byte budget for the stored answers and their keys; least recently used answers go first (0: nothing is kept). */
  maxBytes?: number;
  /** How often expired answers are swept out (a timer that does not keep the process alive); 0: never. */
  sweepIntervalMs?: number;
  /**
   * How many answers are computed at once; further misses wait their turn. What a computation holds
   * (the documents read, the presented answer, its JSON) is the memory a burst of misses costs, and
   * more at once would not answer faster on one event loop (docs/architecture.md, "Shared answers").
   */
  maxComputing?: number;
}

export const READ_CACHE_DEFAULTS = { ttlMs: 1000, maxBytes: 4 * 1024 * 1024, sweepIntervalMs: 5000, maxComputing: 4 } as const;

/**
 * What a vote changed in one article, to be written into the cached answers carrying its `tag`
 * (`change`; without one, they are dropped); `invalidate` names the answers a patch cannot mend
 * (lists the vote may reorder), dropped as `invalidateTagged` drops them.
 */
export interface ArticlePatch {
  tag: string;
  change?: ArticleChange | undefined;
  invalidate: readonly string[];
  /** About what `change` holds (the article's text, UTF-16): counted while it is remembered for computations in flight. */
  heldBytes: number;
}

/**
 * How many kept answers one vote patches; the rest showing the article are dropped. A stranger can
 * fill the cache with many lists holding one popular article: a vote then rewrites a bounded number
 * of them (each a copy of its bytes), never the whole budget.
 */
export const MAX_PATCHED_PER_VOTE = 16;

/**
 * How many votes landing while answers are computed are remembered to be written into them, and in at
 * most a quarter of the byte budget (beside it: each holds its article's view); past either, a vote
 * makes the computations showing its article go unkept, as any other write does. They are remembered
 * only while a computation that started before them runs.
 */
export const MAX_VOTES_WHILE_COMPUTING = 256;

/** How many of those votes one computed answer takes; with more on its articles it is answered but not kept. */
export const MAX_VOTES_INTO_COMPUTED = 16;

/** A vote written into the kept answers while answers were being computed: to be written into those too. */
interface VoteWhileComputing {
  /** Its step in `invalidations`' sequence. */
  at: number;
  tag: string;
  change: ArticleChange;
  heldBytes: number;
}

/** What an entry costs beyond its bytes and key: the cache's bookkeeping and the Buffer object (an estimate, on the high side). */
export const ENTRY_OVERHEAD_BYTES = 256;

/**
 * A cached answer: the anonymous JSON (or a page, with its headers); for article answers, where each
 * reader's own values go (`shared`, so signed-in readers are served from it too); and the tags a write
 * invalidates it by (`article:<id>` for each article in it, `lists`, `ranked-lists`, `favorited-lists`).
 */
interface Entry extends TaggedAnswer {
  readonly shared?: SlottedAnswer;
}

/**
 * Serialized anonymous read responses (article lists, single articles, the site's pages and feeds), keyed by the route's
 * normalised reading of the request (see `ReadKeyFunction`): parameters the route ignores do not
 * make new entries, and `?limit=20` and no parameters share one. The answers are held within a
 * byte budget, least recently used dropped first, and expired ones are swept out periodically.
 *
 * Every write that can change what a reader sees calls `invalidate()` (everything) or
 * `invalidateTagged()` (the answers holding what it changed), or, for a vote, patches the answers
 * holding its article (`writingArticle`), so an edit, vote or comment made through this process is
 * visible on the next read. Writes made by other processes (the payout
 * worker run alone) become visible within `ttlMs`.
 *
 * Concurrent misses for one key share one computation: when an entry expires under load, one
 * request reads the database and the others wait for its answer instead of all reading at once.
 */
export class ReadCache {
  private readonly entries: LRUCache<string, Entry>;
  private readonly computing = new Map<string, Promise<Entry>>();
  /** tag → keys of the entries carrying it, kept in step with the entries (set, evicted, deleted). */
  private readonly keysByTag = new Map<string, Set<string>>();
  private readonly keyFunctions: ReadKeyFunction[] = [];
  private readonly readerKeyFunctions: ReaderKeyFunction[] = [];
  /** Which tags were invalidated while answers were being computed (an answer computed across a write to what it shows is not kept). */
  private readonly invalidations = new ChangeLog();
  /** Which tags changed by anything but a patched vote while a vote was being cast (its patch would not carry that change). */
  private readonly otherWrites = new ChangeLog();
  /** Votes patched in while computations ran, oldest first (see `keptAfter`). */
  private votesWhileComputing: VoteWhileComputing[] = [];
  private readonly sweeper: NodeJS.Timeout | undefined;
  private readonly maxComputing: number;
  private computingNow = 0;
  /** Misses waiting for a computing slot, first come first served; a finishing computation hands its slot on. */
  private readonly waitingForSlot: Array<() => void> = [];
  readonly maxBytes: number;
  /** What signed-in readers' cached reads look up about them, kept as long as answers, in a quarter of the budget (beside it). */
  readonly readers: ReaderMemo;

  constructor(clock: Clock, options: ReadCacheOptions = {}) {
    const { ttlMs, maxBytes, sweepIntervalMs, maxComputing } = { ...READ_CACHE_DEFAULTS, ...options };
    this.maxBytes = maxBytes;
    this.maxComputing = maxComputing;
    this.readers = new ReaderMemo(clock, { ttlMs, maxBytes: Math.floor(maxBytes / 4) });
    this.entries = new LRUCache<string, Entry>({
      maxSize: Math.max(1, maxBytes),
      sizeCalculation: (entry, key) => entryBytes(key, entry.body, entry.headers) + (entry.shared ? slotBytes(entry.shared) : 0) + entry.tags.reduce((sum, tag) => sum + 2 * tag.length + 32, 0),
      dispose: (entry, key) => this.untag(key, entry.tags),
      // An answer is fresh for `ttlMs` milliseconds: expired once `ttlMs` have passed. lru-cache counts an
      // entry stale only when strictly more than its ttl has passed, so time is counted in half
      // milliseconds and the ttl is one half less (exact for whole milliseconds, and `ttlMs` = 1 works).
      ttl: ttlMs * 2 - 1,
      // Expiry is read from the injected clock on every lookup (no cached "now": tests move the clock by hand).
      ttlResolution: 0,
      perf: { now: () => clock.now().getTime() * 2 },
    });
    if (sweepIntervalMs > 0) {
      this.sweeper = setInterval(() => this.sweep(), sweepIntervalMs);
      this.sweeper.unref();
    }
  }

  /** Lets a route name the key of the requests it caches, so they can be answered before routing. */
  addKeyFunction(keyOf: ReadKeyFunction): void {
    this.keyFunctions.push(keyOf);
  }

  /** Lets a route name the key of the GETs it caches for one reader alone (a feed), so they can be answered before routing. */
  addReaderKeyFunction(keyOf: ReaderKeyFunction): void {
    this.readerKeyFunctions.push(keyOf);
  }

  /** The key a registered route gives this GET by `reader` of an answer kept for them alone, if any. */
  readerKeyFor(path: string, query: ParsedUrlQuery, reader: string): string | undefined {
    for (const keyOf of this.readerKeyFunctions) {
      const key = keyOf(path, query, reader);
      if (key !== undefined) return key;
    }
    return undefined;
  }

  /** The key a registered route gives this anonymous GET (to `origin`, scheme and host as asked, worked out if needed), if any. */
  keyFor(path: string, query: ParsedUrlQuery, origin: () => string = NO_ORIGIN): string | undefined {
    for (const keyOf of this.keyFunctions) {
      const key = keyOf(path, query, origin);
      if (key !== undefined) return key;
    }
    return undefined;
  }

  /** The cached answer for `key`, if one is fresh. */
  cached(key: string): CachedAnswer | undefined {
    return this.entries.get(key);
  }

  /** The shared parts of the cached answer for `key` (see `readShared`), if one is fresh and has them. */
  cachedShared(key: string): SlottedAnswer | undefined {
    return this.entries.get(key)?.shared;
  }

  /** The response for `key` as JSON bytes: cached, being computed, or computed now by `compute`. */
  async read(key: string, compute: () => Promise<unknown>): Promise<Buffer> {
    return (await this.entry(key, async () => ({ body: serialize(await compute()), type: JSON_TYPE, tags: [] }))).body;
  }

  /** The answer for `key` (any media type, with its headers): cached, being computed, or computed now by `compute`. */
  async readAnswer(key: string, compute: () => Promise<TaggedAnswer>): Promise<CachedAnswer> {
    return this.entry(key, compute);
  }

  /**
   * The anonymous answer for `key` with where each reader's own values go (see `SlottedAnswer`):
   * cached, being computed, or computed now; `tags` name what a write invalidates it by.
   */
  async readShared(key: string, compute: () => Promise<{ answer: SlottedAnswer; tags: string[] }>): Promise<SlottedAnswer> {
    const entry = await this.entry(key, async () => {
      const { answer, tags } = await compute();
      return { body: answer.body, type: JSON_TYPE, shared: answer, tags };
    });
    if (!entry.shared) throw new Error(`read cache entry ${key} was stored without its shared parts`);
    return entry.shared;
  }

  private async entry(key: string, compute: () => Promise<Entry>): Promise<Entry> {
    const cached = this.entries.get(key);
    if (cached) return cached;
    const inFlight = this.computing.get(key);
    if (inFlight) return inFlight;
    const computing = this.computeInTurn(key, compute);
    this.computing.set(key, computing);
    try {
      return await computing;
    } finally {
      if (this.computing.get(key) === computing) this.computing.delete(key);
    }
  }

  /**
   * The answer a computation that started at `run` may keep, undefined when none. A write to something
   * it shows, made while it was computed, may not be in it: answered, not kept. A vote is written into
   * it instead, as into the answers already kept, when it can be; otherwise, under a steady stream of
   * votes, a list would rarely be kept again once expired, each recomputation overlapping a vote on one
   * of its articles. Writes to things it does not show do not matter.
   */
  private keptAfter(run: ChangeRun, computed: Entry): Entry | undefined {
    if (this.invalidations.changedSince(run, computed.tags)) return undefined;
    const votes = this.votesWhileComputing.filter((vote) => this.invalidations.startedBefore(run, vote.at));
    if (votes.length === 0) return computed;
    const tags = new Set(computed.tags);
    let entry = computed;
    let patchable = MAX_VOTES_INTO_COMPUTED;
    for (const vote of votes) {
      if (!tags.has(vote.tag)) continue;
      if (!entry.shared?.presentedAs || patchable-- === 0) return undefined;
      const patched = patchedAnswer(entry.shared, vote.change);
      if (patched !== entry.shared) entry = { ...entry, body: patched.body, shared: patched };
    }
    return entry;
  }

  /** Remembers a vote patched in, for the computations running now; past the bounds, they are told it changed the article instead. */
  private noteVote(tag: string, change: ArticleChange, heldBytes: number): void {
    if (!this.invalidations.busy) return;
    // Votes older than every running computation can no longer be written into one.
    const oldest = this.invalidations.oldestRunning();
    if ((this.votesWhileComputing[0]?.at ?? Infinity) <= oldest) this.votesWhileComputing = this.votesWhileComputing.filter((vote) => vote.at > oldest);
    const held = this.votesWhileComputing.reduce((sum, vote) => sum + vote.heldBytes, heldBytes);
    if (this.votesWhileComputing.length >= MAX_VOTES_WHILE_COMPUTING || held > this.maxBytes / 4) this.invalidations.change([tag]);
    else this.votesWhileComputing.push({ at: this.invalidations.step(), tag, change, heldBytes });
  }

  /**
   * Runs `compute` once a computing slot is free. A computation must not read through this cache
   * (none does): waiting for a slot while holding one could leave every slot waiting.
   */
  private async computeInTurn(key: string, compute: () => Promise<Entry>): Promise<Entry> {
    // With a slot free, `compute` starts before this returns (no await on the way).
    if (this.computingNow < this.maxComputing) {
      this.computingNow++;
    } else {
      await new Promise<void>((resolve) => this.waitingForSlot.push(resolve));
      // Kept by another read while this one waited (writes since left it as a read starting now finds it): nothing to compute.
      const kept = this.entries.get(key);
      if (kept) {
        this.releaseSlot();
        return kept;
      }
    }
    // Its run starts once it has a slot: writes made while it waited came before anything it reads,
    // and a miss waiting its turn holds back neither the change log nor the votes remembered.
    const run = this.invalidations.start();
    try {
      const computed = await compute();
      const kept = this.keptAfter(run, computed);
      if (kept && this.maxBytes > 0) {
        this.entries.set(key, kept);
        if (this.entries.has(key)) this.tag(key, kept.tags);
      }
      return kept ?? computed;
    } finally {
      this.invalidations.finish(run);
      if (!this.invalidations.busy) this.votesWhileComputing = [];
      this.releaseSlot();
    }
  }

  private releaseSlot(): void {
    const next = this.waitingForSlot.shift();
    if (next) next();
    else this.computingNow--;
  }

  /** Forgets every response and everything remembered about readers, and lets no read started before now answer a read that starts after. */
  invalidate(): void {
    this.invalidations.changeEverything();
    this.otherWrites.changeEverything();
    this.entries.clear();
    this.keysByTag.clear();
    this.computing.clear();
    this.readers.forgetAll();
  }

  /**
   * Forgets the responses carrying any of `tags` (a vote: the article's own answer and the lists it
   * is on), keeping the rest. A read that starts after this never joins one in flight; one in flight is
   * kept only if it carries none of these tags.
   */
  invalidateTagged(tags: readonly string[]): void {
    this.invalidations.change(tags);
    this.otherWrites.change(tags);
    this.computing.clear();
    for (const tag of tags) {
      const keys = this.keysByTag.get(tag);
      if (!keys) continue;
      for (const key of [...keys]) this.entries.delete(key);
    }
  }

  /**
   * Runs a vote (`cast`) and writes what it changed (`patchOf` its result) into the cached answers
   * that show the article, instead of dropping them: a busy voting day would otherwise recompute a
   * list each time a vote lands on any of its articles. Answers that cannot be patched (a feed, a
   * page) are dropped, and so is every answer with the article when anything but a vote changed it
   * while the vote was cast: the vote's view of the article may predate that change. The answers a
   * computation started before now would give are not kept, as with `invalidateTagged`.
   */
  async writingArticle<T>(cast: () => Promise<T>, patchOf: (result: T) => ArticlePatch | undefined): Promise<T> {
    const run = this.otherWrites.start();
    try {
      const result = await cast();
      const patch = patchOf(result);
      if (patch) this.patch(patch, this.otherWrites.changedSince(run, [patch.tag]));
      return result;
    } finally {
      this.otherWrites.finish(run);
    }
  }

  private patch(patch: ArticlePatch, changedOtherwise: boolean): void {
    // Also stops new reads from joining computations in flight, as any invalidation does.
    this.invalidateTagged(patch.invalidate);
    // The answers being computed get the vote written in when they finish, if they can (`keptAfter`).
    if (patch.change && !changedOtherwise) this.noteVote(patch.tag, patch.change, patch.heldBytes);
    else this.invalidations.change([patch.tag]);
    const keys = this.keysByTag.get(patch.tag);
    if (!keys) return;
    let patchable = MAX_PATCHED_PER_VOTE;
    for (const key of [...keys]) {
      const entry = this.entries.peek(key);
      const shared = entry?.shared;
      const patched = shared && patch.change && !changedOtherwise && patchable-- > 0 ? patchedAnswer(shared, patch.change) : undefined;
      if (!entry || !patched?.presentedAs) {
        this.entries.delete(key);
      } else if (patched !== shared) {
        // The patched answer keeps the entry's expiry: writes by other processes still show within the ttl.
        this.entries.set(key, { ...entry, body: patched.body, shared: patched }, { noUpdateTTL: true });
        if (this.entries.has(key)) this.tag(key, entry.tags);
      }
    }
  }

  private tag(key: string, tags: readonly string[]): void {
    for (const tag of tags) {
      let keys = this.keysByTag.get(tag);
      if (!keys) this.keysByTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
  }

  private untag(key: string, tags: readonly string[]): void {
    for (const tag of tags) {
      const keys = this.keysByTag.get(tag);
      if (!keys) continue;
      keys.delete(key);
      if (keys.size === 0) this.keysByTag.delete(tag);
    }
  }

  /** Drops the expired answers now (also done every `sweepIntervalMs`). */
  sweep(): void {
    this.entries.purgeStale();
  }

  /** Entries held (expired ones included until swept or looked up). */
  get size(): number {
    return this.entries.size;
  }

  /** Bytes held, as counted against `maxBytes`. */
  get bytes(): number {
    return this.entries.calculatedSize;
  }

  /** Stops the sweeping timer (it never keeps the process alive anyway). */
  close(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }
}

/** What an entry counts against the budget: its bytes, its key (UTF-16), its headers and the bookkeeping around them. */
export function entryBytes(key: string, body: Buffer, headers?: Readonly<Record<string, string>>): number {
  let headerChars = 0;
  for (const name in headers) headerChars += name.length + headers[name]!.length;
  return body.byteLength + (key.length + headerChars) * 2 + ENTRY_OVERHEAD_BYTES;
}

/**
 * The answer's JSON in a buffer of its own: a small `Buffer.from` is a slice of a shared 8 KiB pool
 * slab and would keep the whole slab alive for as long as the entry lives, far beyond what it counts.
 */
function serialize(value: unknown): Buffer {
  const json = JSON.stringify(value);
  const body = Buffer.allocUnsafeSlow(Buffer.byteLength(json));
  body.write(json, 'utf8');
  return body;
}
