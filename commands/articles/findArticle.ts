import { ArticleModel, type Article } from '../../models/article';
import { coalescingLoader } from '../../server/coalesce';
import { notFound } from '../../server/errors';
import type { Types } from 'mongoose';

export type StoredArticle = Article & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

/** The votes a post has landed (kept to recognise a replayed vote) are the vote path's business alone. */
const STORED_ARTICLE_PROJECTION = { appliedVoteOps: 0 } as const;

/** By current slug, else by a slug the article had before a title change; concurrent lookups share a query. */
const articlesBySlug = coalescingLoader<string, StoredArticle>(async (slugs) => {
  const wanted = [...new Set(slugs)];
  const found = new Map((await ArticleModel.find({ slug: { $in: wanted } }, STORED_ARTICLE_PROJECTION).lean<StoredArticle[]>()).map((article) => [article.slug, article]));
  const renamed = wanted.filter((slug) => !found.has(slug));
  if (renamed.length > 0) {
    for (const article of await ArticleModel.find({ previousSlugs: { $in: renamed } }, STORED_ARTICLE_PROJECTION).lean<StoredArticle[]>()) {
      for (const slug of article.previousSlugs) if (renamed.includes(slug)) found.set(slug, article);
    }
  }
  return found;
});

/** By current slug, else by a slug the article had before a title change (old links keep working). */
export async function findArticleBySlug(slug: string): Promise<StoredArticle> {
  const article = await articlesBySlug.load(slug);
  if (!article) throw notFound(`article ${slug} not found`, 'article');
  return article;
}
