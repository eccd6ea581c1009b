import { ArticleModel } from '../../models/article';
import { articleViews } from '../articles/articleViews';
import type { StoredArticle } from '../articles/findArticle';
import type { ArticleList, PageWindow } from './pages';

/**
 * The search page's one dependency: articles matching `q`, most relevant first, a page at a time.
 *
 * TEMPORARY (issue 20): full-text search is being added to `listArticles` as an option `q` (relevance
 * order) on another branch. Until it is merged this is a stand-in: a case-insensitive substring match
 * on titles, newest first, with the query's regular-expression characters escaped, and a bound on the
 * articles examined. Once `q` is in listArticles, the body becomes
 * `listArticles({ q: query.q, offset, limit })` and its views; the page does not change.
 */
export async function searchArticles(query: { q: string } & PageWindow): Promise<ArticleList> {
  const filter = { title: { $regex: escapeRegExp(query.q), $options: 'i' } };
  const [articles, count] = await Promise.all([
    ArticleModel.find(filter, LIST_PROJECTION).sort({ createdAt: -1, _id: -1 }).skip(query.offset).limit(query.limit).maxTimeMS(SEARCH_TIME_MS).lean<StoredArticle[]>(),
    ArticleModel.countDocuments(filter).maxTimeMS(SEARCH_TIME_MS),
  ]);
  return { views: await articleViews(articles), count };
}

/** The stand-in scans titles: the database gives up past this (a bound on one search's work). */
const SEARCH_TIME_MS = 2000;
const LIST_PROJECTION = { body: 0, bodyHtml: 0, previousSlugs: 0, appliedVoteOps: 0 } as const;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
