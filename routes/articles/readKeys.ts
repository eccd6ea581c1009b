import type { ParsedUrlQuery } from 'node:querystring';
import type { z } from 'zod';
import { feedQuerySchema, listQuerySchema } from './schema';

export type ListQuery = z.infer<typeof listQuerySchema>;

/**
 * The read cache's key for a list query as the schema validated it: every parameter in one fixed
 * order, defaults written out, names compared as the query compares them (lowercase). Parameters
 * the schema does not know are not in it, so `?limit=20`, `` and `?limit=20&n=1` share one entry.
 */
export function articleListKey(query: ListQuery): string {
  const { sort, tag, author, favorited, q, offset, limit } = query;
  return `articles?${JSON.stringify([sort, tag?.toLowerCase() ?? null, author?.toLowerCase() ?? null, favorited?.toLowerCase() ?? null, offset, limit, q ?? null])}`;
}

/** The tag of cached answers holding this article (invalidated when its counters change). */
export function articleTag(articleId: string): string {
  return `article:${articleId}`;
}

/**
 * The tag of cached answers showing an article's comments (the site's article page): a vote on a
 * comment changes those alone, not the article's own answers or the lists it is on.
 */
export function commentsTag(articleId: string): string {
  return `comments:${articleId}`;
}

/**
 * The tags of a cached list besides its articles': every list changes when articles are added or
 * removed (`lists`); ranked lists can change order with any vote; lists of a user's favorites change
 * with any favorite.
 */
export function listTags(query: ListQuery): string[] {
  return ['lists', ...(query.sort !== 'created' ? ['ranked-lists'] : []), ...(query.favorited ? ['favorited-lists'] : [])];
}

/** The read cache's key for a reader's feed page (never answered to anyone else). */
export function feedKey(reader: { toString(): string }, window: { offset: number; limit: number }): string {
  return `feed/${reader.toString()}?${window.offset},${window.limit}`;
}

/**
 * The tags of a reader's cached feed: new articles and deletions (`lists`), reblogs by anyone
 * (`reblogs`: the followers of whoever reblogged see it), and the reader's own follows and mutes
 * (`feedTag`).
 */
export function feedTags(reader: { toString(): string }): string[] {
  return ['lists', 'reblogs', feedTag(reader)];
}

/** Invalidated when the reader follows, unfollows, mutes or unmutes someone. */
export function feedTag(reader: { toString(): string }): string {
  return `feed:${reader.toString()}`;
}

/** Registered with the read cache: the key the articles router gives a reader's GET of their feed, before routing. */
export function feedReadKey(path: string, query: ParsedUrlQuery, reader: string): string | undefined {
  if (path !== '/api/articles/feed' && path !== '/api/articles/feed/') return undefined;
  const parsed = feedQuerySchema.safeParse(query);
  return parsed.success ? feedKey(reader, parsed.data) : undefined;
}

/** The read cache's key for one article by the slug in its address (decoded as the router decodes it). */
export function articleKey(slug: string): string {
  return `article/${slug}`;
}

const ONE_ARTICLE = /^\/api\/articles\/([^/]+)\/?$/;

/** Registered with the read cache: the key the articles router gives an anonymous GET, before routing. */
export function articleReadKey(path: string, query: ParsedUrlQuery): string | undefined {
  if (path === '/api/articles' || path === '/api/articles/') {
    const parsed = listQuerySchema.safeParse(query);
    return parsed.success ? articleListKey(parsed.data) : undefined;
  }
  const one = ONE_ARTICLE.exec(path);
  if (!one) return undefined;
  const slug = safeDecode(one[1]!);
  return slug === 'feed' ? undefined : articleKey(slug);
}

/** What @koa/router does to a path parameter. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
