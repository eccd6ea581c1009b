import type { Types } from 'mongoose';
import { articleViews, type ArticleView } from '../articles/articleViews';
import { findArticleBySlug } from '../articles/findArticle';
import { addBookmark, bookmarkedArticles, removeBookmark } from './bookmarks';

/** Bookmarks (or with `bookmark: false` removes the bookmark of) the article a slug names; returns its current slug. */
export async function setBookmark(user: Types.ObjectId, slug: string, bookmark: boolean): Promise<string> {
  const article = await findArticleBySlug(slug);
  await (bookmark ? addBookmark(user, article._id) : removeBookmark(user, article._id));
  return article.slug;
}

/** The user's bookmarked articles, most recently bookmarked first, as the user sees them. */
export async function bookmarkViews(user: Types.ObjectId, window: { offset: number; limit: number }): Promise<{ views: ArticleView[]; articlesCount: number }> {
  const page = await bookmarkedArticles(user, window);
  return { views: await articleViews(page.articles, user), articlesCount: page.articlesCount };
}
