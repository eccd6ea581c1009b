import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import type { CachedAnswer, TaggedAnswer } from '../../server/readCache';
import { articleTag } from '../articles/readKeys';

/**
 * The pages' Content-Security-Policy: no script at all (not even inline: there is none), styles only
 * from the site's own stylesheet, images from the site and from https (article images), forms only to
 * the site, no framing, no <base>.
 */
export const PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self' https: data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** How long shared caches (a CDN, a proxy) and browsers may keep an anonymous page without asking again. */
export const PAGE_MAX_AGE_SECONDS = 60;

export const HTML = 'text/html; charset=utf-8';
export const RSS = 'application/rss+xml; charset=utf-8';
export const XML = 'application/xml; charset=utf-8';

/** An answer with its validators: `ETag` (a hash of the bytes) and, when known, `Last-Modified`. */
export function pageAnswer(text: string, type: string, lastModified?: Date, maxAgeSeconds = PAGE_MAX_AGE_SECONDS): CachedAnswer {
  const body = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  body.write(text, 'utf8');
  const headers: Record<string, string> = {
    'Content-Security-Policy': PAGE_CSP,
    'Cache-Control': `public, max-age=${maxAgeSeconds}`,
    ETag: `"${createHash('sha1').update(body).digest('base64url')}"`,
  };
  if (lastModified) headers['Last-Modified'] = lastModified.toUTCString();
  return { body, type, headers };
}

/**
 * A page or feed with the tags a write invalidates it by: each article it shows (a vote, comment or
 * edit changes it), and `lists` (articles added or removed) for pages that list; `ranked-lists` when
 * it shows a ranking that any vote may reorder; an article's `comments:<id>` when it shows its comments.
 */
export function tagged(answer: CachedAnswer, articles: readonly { article: { _id: { toString(): string } } }[], ...otherTags: string[]): TaggedAnswer {
  return { ...answer, tags: [...otherTags, ...articles.map((view) => articleTag(view.article._id.toString()))] };
}

/** Sends an answer (304 when the request's validators still match); never shared-cacheable for a request with credentials. */
export function sendAnswer(ctx: Context, answer: CachedAnswer): void {
  ctx.body = answer.body;
  ctx.type = answer.type;
  if (answer.headers) ctx.set(answer.headers);
  if (ctx.get('Authorization')) ctx.set('Cache-Control', 'no-store');
  if (ctx.fresh) ctx.status = 304;
}

/** The newest of these times (for `Last-Modified`), or undefined when there are none. */
export function newest(times: Iterable<string | Date | null | undefined>): Date | undefined {
  let latest: number | undefined;
  for (const time of times) {
    if (!time) continue;
    const ms = new Date(time).getTime();
    if (latest === undefined || ms > latest) latest = ms;
  }
  return latest === undefined ? undefined : new Date(latest);
}

/** Thrown while computing a page whose canonical address is elsewhere: answered 301, never cached. */
export class Moved extends Error {
  constructor(readonly location: string) {
    super(`moved to ${location}`);
  }
}
