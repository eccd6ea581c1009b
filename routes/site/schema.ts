import { z } from 'zod';
import { boundedInt, MAX_OFFSET } from '../pagination';

/** Articles per page of the site's lists (the API's default page). */
export const SITE_PAGE_SIZE = 20;
/** The last page reachable: the API's offset bound. */
export const MAX_PAGE = Math.floor(MAX_OFFSET / SITE_PAGE_SIZE) + 1;

/** `?page=n` (1 first) on every paginated page. */
export const pageQuerySchema = z.object({ page: boundedInt(1, MAX_PAGE, 1) });

/** `/search?q=words&page=n`: the words are trimmed, 1 to 100 characters. */
export const searchQuerySchema = z.object({
  q: z.preprocess((v) => (Array.isArray(v) ? v[0] : v), z.string({ message: 'is required' }).trim().min(1, 'is required').max(100, 'must be at most 100 characters')),
  page: boundedInt(1, MAX_PAGE, 1),
});

/** `/sitemap-N.xml`. */
export const sitemapPageSchema = z.coerce.number().int().min(1).max(100_000);

export function windowOf(page: number): { offset: number; limit: number } {
  return { offset: (page - 1) * SITE_PAGE_SIZE, limit: SITE_PAGE_SIZE };
}

export function pagesOf(count: number): number {
  return Math.min(MAX_PAGE, Math.max(1, Math.ceil(count / SITE_PAGE_SIZE)));
}
