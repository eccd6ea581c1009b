import type { Types } from 'mongoose';
import { mutedBy } from '../community/mutes';
import { usernamesByIds } from '../users/usersByIds';
import { articleView, articleViews, type ArticleView } from './articleViews';
import { findArticleBySlug } from './findArticle';
import { feedArticles, listArticles, type ArticleQuery } from './listArticles';
import type { ArticlePage } from './listArticles';

/** A page of articles as the viewer sees them; `rebloggedBy` names who put a feed entry there (null: that account is gone). */
export interface ArticleViewPage {
  views: ArticleView[];
  articlesCount: number;
  rebloggedBy?: Map<string, string | null>;
}

/** One article, by current or earlier slug, as the viewer sees it (read fresh: after a write it shows the write). */
export async function viewArticleBySlug(slug: string, viewer?: Types.ObjectId): Promise<ArticleView> {
  return articleView(await findArticleBySlug(slug), viewer);
}

/** `GET /api/articles`: the list query's page, without the authors the viewer muted. */
export async function listArticleViews(query: Omit<ArticleQuery, 'hiddenAuthors'> & { viewer?: Types.ObjectId | undefined }): Promise<ArticleViewPage> {
  const { viewer, ...rest } = query;
  return viewPage(await listArticles({ ...rest, hiddenAuthors: await mutedBy(viewer) }), viewer);
}

/**
 * The viewer's feed: followed authors' articles and their reblogs, without the authors the viewer
 * muted. The articles are presented as everyone sees them; the viewer's own favorites and follows are
 * written in by the caller (`readerMarks`), so the page can be kept and shared with their later reads.
 */
export async function feedArticleViews(viewer: Types.ObjectId, window: { offset: number; limit: number }): Promise<ArticleViewPage> {
  return viewPage(await feedArticles(viewer, { ...window, hiddenAuthors: await mutedBy(viewer) }));
}

/** The articles of a page as the viewer sees them, with the names of the users whose reblogs brought them. */
export async function viewPage(page: ArticlePage, viewer?: Types.ObjectId): Promise<ArticleViewPage> {
  const [views, names] = await Promise.all([articleViews(page.articles, viewer), page.rebloggedBy?.size ? usernamesByIds(page.rebloggedBy.values()) : undefined]);
  if (!page.rebloggedBy || !names) return { views, articlesCount: page.articlesCount };
  const rebloggedBy = new Map<string, string | null>();
  for (const [article, user] of page.rebloggedBy) rebloggedBy.set(article, names.get(user.toString()) ?? null);
  return { views, articlesCount: page.articlesCount, rebloggedBy };
}
