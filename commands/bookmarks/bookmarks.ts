import type { Types } from 'mongoose';
import { BookmarkModel } from '../../models/bookmark';
import { ArticleModel } from '../../models/article';
import { isDuplicateKeyError } from '../duplicateKey';
import type { StoredArticle } from '../articles/findArticle';
import type { ArticlePage } from '../articles/listArticles';

export async function addBookmark(user: Types.ObjectId, article: Types.ObjectId): Promise<void> {
  try {
    await BookmarkModel.create({ user, article });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}

export async function removeBookmark(user: Types.ObjectId, article: Types.ObjectId): Promise<void> {
  await BookmarkModel.deleteOne({ user, article });
}

/** The user's bookmarked articles, most recently bookmarked first. */
export async function bookmarkedArticles(user: Types.ObjectId, window: { offset: number; limit: number }): Promise<ArticlePage> {
  const [bookmarks, articlesCount] = await Promise.all([
    BookmarkModel.find({ user }, { article: 1 }).sort({ createdAt: -1, _id: -1 }).skip(window.offset).limit(window.limit).lean(),
    BookmarkModel.countDocuments({ user }),
  ]);
  const ids = bookmarks.map((b) => b.article);
  const articles = await ArticleModel.find({ _id: { $in: ids } }, { body: 0, bodyHtml: 0, previousSlugs: 0 }).lean<StoredArticle[]>();
  const byId = new Map(articles.map((a) => [a._id.toString(), a]));
  return { articles: ids.map((id) => byId.get(id.toString())).filter((a): a is StoredArticle => a !== undefined), articlesCount };
}
