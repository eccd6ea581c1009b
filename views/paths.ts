/** The site's addresses, in one place (pages, redirects, feeds and the sitemap all build them here). */

export const STYLESHEET_PATH = '/assets/site.css';

export const profilePath = (username: string) => `/@${encodeURIComponent(username)}`;
export const articlePath = (username: string, slug: string) => `${profilePath(username)}/${encodeURIComponent(slug)}`;
export const tagPath = (tag: string) => `/t/${encodeURIComponent(tag)}`;
export const receiptPath = (slug: string) => `/api/articles/${encodeURIComponent(slug)}/payout`;

export const SITE_FEED_PATH = '/rss.xml';
export const profileFeedPath = (username: string) => `${profilePath(username)}/rss.xml`;
export const tagFeedPath = (tag: string) => `${tagPath(tag)}/rss.xml`;

/** `path` with `?page=n` (none for the first page). */
export function pagePath(path: string, page: number, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams(extra);
  if (page > 1) query.set('page', String(page));
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
