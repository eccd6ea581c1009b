import { load, seedArticles, type LoadResult } from './publishing';
import type { PlatformProcess } from './platformProcess';

export interface PagesResult {
  articles: number;
  seconds: number;
  jsonArticle: LoadResult;
  articlePage: LoadResult;
  jsonList: LoadResult;
  homePage: LoadResult;
}

/**
 * Cached anonymous reads of the server-rendered pages against the JSON they are built from, in one
 * run on one process: the article page against `GET /api/articles/:slug`, the home page (trending
 * and newest) against `GET /api/articles?limit=20`. Each path is warmed up, then measured in turn.
 */
export async function pagesLoad(platform: PlatformProcess, options: { articles?: number; seconds?: number } = {}): Promise<PagesResult> {
  const articles = options.articles ?? 300;
  const seconds = options.seconds ?? 10;
  const slugs = await seedArticles(platform, articles, 5, 8);
  const slug = slugs[slugs.length >> 1]!;
  const article = (await (await fetch(`${platform.url}/api/articles/${slug}`)).json()) as { article: { author: { username: string } } };
  const paths = { jsonArticle: `/api/articles/${slug}`, articlePage: `/@${article.article.author.username}/${slug}`, jsonList: '/api/articles?limit=20', homePage: '/' };
  for (const path of Object.values(paths)) {
    const response = await fetch(`${platform.url}${path}`);
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
    await load(platform.url, path, 3);
  }
  const measured: Partial<Record<keyof typeof paths, LoadResult>> = {};
  for (const [name, path] of Object.entries(paths) as [keyof typeof paths, string][]) measured[name] = await load(platform.url, path, seconds);
  return { articles, seconds, ...(measured as Record<keyof typeof paths, LoadResult>) };
}
