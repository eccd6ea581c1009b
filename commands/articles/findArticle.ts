import { LRUCache } from 'lru-cache';
import { ArticleModel, type Article } from '../../models/article';
import { coalescingLoader } from '../../lib/coalesce';
import { notFound } from '../../lib/errors';
import type { Types } from 'mongoose';

export type StoredArticle = Article & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

/** The votes a post has landed (kept to recognise a replayed vote) are the vote path's business alone. */
export const STORED_ARTICLE_PROJECTION = { appliedVoteOps: 0 } as const;

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

/** The article with this id, as stored. */
export async function findArticleById(id: Types.ObjectId): Promise<StoredArticle> {
  const article = await ArticleModel.findById(id, STORED_ARTICLE_PROJECTION).lean<StoredArticle>();
  if (!article) throw notFound('article not found', 'article');
  return article;
}

/** Which article a slug names: its id and author, which never change. */
export interface ArticleIdentity {
  _id: Types.ObjectId;
  author: Types.ObjectId;
}

const SLUGS_REMEMBERED = 10_000;
const identityBySlug = new LRUCache<string, ArticleIdentity>({ max: SLUGS_REMEMBERED });

/**
 * The article a slug was last seen to name as its current slug, if remembered. A title change moves
 * an article's slug and a later article may take the old one, so whoever acts on a remembered
 * identity must check, when it reads the article, that the slug is still the article's own
 * (and `forgetSlug` it otherwise).
 */
export function rememberedArticle(slug: string): ArticleIdentity | undefined {
  return identityBySlug.get(slug);
}

/** Looks the slug up (`findArticleBySlug`) and remembers the identity when it is the article's current slug. */
export async function findAndRememberArticle(slug: string): Promise<StoredArticle> {
  const article = await findArticleBySlug(slug);
  if (article.slug === slug) identityBySlug.set(slug, { _id: article._id, author: article.author });
  return article;
}

export function forgetSlug(slug: string): void {
  identityBySlug.delete(slug);
}
