import { listArticles } from '../articles/listArticles';
import { articleViews } from '../articles/articleViews';
import type { ArticleList, PageWindow } from './pages';

/** The search page's articles: those the text search matches for `q`, most relevant first (as `GET /api/articles?q=`), a page at a time. */
export async function searchArticles(query: { q: string } & PageWindow): Promise<ArticleList> {
  const found = await listArticles({ q: query.q, offset: query.offset, limit: query.limit });
  return { views: await articleViews(found.articles), count: found.articlesCount };
}
