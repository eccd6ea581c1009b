import type { ArticleView } from '../../commands/articles/articleViews';
import { presentProfile } from './profile';

/**
 * RealWorld's Article plus Inkwell's extensions (bodyHtml, excerpt, readingTimeMinutes, images,
 * commentsCount). List responses leave out `body` and `bodyHtml`, as the contract says.
 */
export function presentArticle({ article, author, favorited, following }: ArticleView, options: { withBody: boolean }) {
  return {
    slug: article.slug,
    title: article.title,
    description: article.description,
    ...(options.withBody ? { body: article.body, bodyHtml: article.bodyHtml } : {}),
    tagList: article.tagList,
    createdAt: article.createdAt.toISOString(),
    updatedAt: article.updatedAt.toISOString(),
    favorited,
    favoritesCount: article.favoritesCount,
    commentsCount: article.commentsCount,
    excerpt: article.excerpt,
    readingTimeMinutes: article.readingTimeMinutes,
    images: article.images,
    author: presentProfile(author, following),
  };
}
