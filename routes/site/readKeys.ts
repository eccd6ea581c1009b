import type { ParsedUrlQuery } from 'node:querystring';
import { pageQuerySchema, searchQuerySchema } from './schema';

const PAGINATED = [/^\/$/, /^\/@[^/]+$/, /^\/t\/[^/]+$/];
const SINGLE = [/^\/rss\.xml$/, /^\/@[^/]+\/[^/]+$/, /^\/t\/[^/]+\/rss\.xml$/];

/**
 * The read cache's key for an anonymous GET of a page or feed of the site (registered with the read
 * cache, so a repeated read is answered before routing; the routes use the same function): the
 * origin the page names (PUBLIC_URL, else the request's), the path as asked (a differently cased
 * or old address is a redirect, never cached) and the query as the route's schema reads it.
 * Undefined for other paths and for invalid queries (answered 422, never cached). `origin` is called
 * only for the site's own paths, so the API's reads never work it out.
 */
export function siteReadKey(path: string, query: ParsedUrlQuery, origin: () => string): string | undefined {
  if (path === '/search') {
    const parsed = searchQuerySchema.safeParse(query);
    return parsed.success ? `site ${origin()} ${path} ${JSON.stringify([parsed.data.q, parsed.data.page])}` : undefined;
  }
  if (PAGINATED.some((pattern) => pattern.test(path))) {
    const parsed = pageQuerySchema.safeParse(query);
    return parsed.success ? `site ${origin()} ${path} ${parsed.data.page}` : undefined;
  }
  return SINGLE.some((pattern) => pattern.test(path)) ? `site ${origin()} ${path}` : undefined;
}
