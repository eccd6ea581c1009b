import { ArticleModel, type Article } from '../../models/article';
import { notFound } from '../../server/errors';
import type { Types } from 'mongoose';

export type StoredArticle = Article & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

/** By current slug, else by a slug the article had before a title change (old links keep working). */
export async function findArticleBySlug(slug: string): Promise<StoredArticle> {
  const article =
    (await ArticleModel.findOne({ slug }).lean<StoredArticle>()) ??
    (await ArticleModel.findOne({ previousSlugs: slug }).lean<StoredArticle>());
  if (!article) throw notFound(`article ${slug} not found`, 'article');
  return article;
}
