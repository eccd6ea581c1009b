import type { Types } from 'mongoose';
import { ArticleModel } from '../../models/article';
import { UserModel } from '../../models/user';
import { articleViews, type ArticleView } from '../articles/articleViews';
import type { StoredArticle } from '../articles/findArticle';
import { findProfileUser } from '../profiles/findProfileUser';

/** Items in each RSS feed: the latest this many. */
export const FEED_ITEMS = 20;

/** What a feed item shows: the article with its sanitised HTML (rendered on write), newest first. */
const FEED_PROJECTION = { previousSlugs: 0, appliedVoteOps: 0 } as const;
const NEWEST_FIRST = { createdAt: -1, _id: -1 } as const;

/**
 * The latest articles with their bodies' HTML, for the site's feed, an author's or a tag's: read through
 * `articles {createdAt: -1, _id: -1}`, `{author: 1, createdAt: -1}` or `{tagList: 1, createdAt: -1}`.
 */
export async function feedArticles(scope: { author?: string; tag?: string } = {}): Promise<ArticleView[]> {
  const filter: Record<string, unknown> = {};
  if (scope.author !== undefined) filter.author = (await findProfileUser(scope.author))._id;
  if (scope.tag !== undefined) filter.tagList = scope.tag.toLowerCase();
  const articles = await ArticleModel.find(filter, FEED_PROJECTION).sort(NEWEST_FIRST).limit(FEED_ITEMS).lean<StoredArticle[]>();
  return articleViews(articles);
}

/** How many articles the sitemap lists. */
export function countArticles(): Promise<number> {
  return ArticleModel.estimatedDocumentCount();
}

export interface SitemapEntry {
  username: string;
  slug: string;
  updatedAt: Date;
}

/** Articles are read for the sitemap this many at a time, with their authors' names in one query per chunk. */
const SITEMAP_CHUNK = 1000;
const OLDEST_FIRST = { createdAt: 1, _id: 1 } as const;

/**
 * Page `page` (from 1) of `pageSize` articles in publication order (oldest first, so a page's
 * articles stay on it as new ones are published), read through `articles {createdAt: -1, _id: -1}`
 * with a cursor, a chunk at a time: the caller streams the entries out, and the process holds one chunk.
 */
export async function* sitemapEntries(page: number, pageSize: number): AsyncGenerator<SitemapEntry[]> {
  const cursor = ArticleModel.find({}, { slug: 1, author: 1, updatedAt: 1 })
    .sort(OLDEST_FIRST)
    .skip((page - 1) * pageSize)
    .limit(pageSize)
    .lean<{ slug: string; author: Types.ObjectId; updatedAt: Date }[]>()
    .cursor({ batchSize: SITEMAP_CHUNK });
  let chunk: { slug: string; author: Types.ObjectId; updatedAt: Date }[] = [];
  const flush = async (): Promise<SitemapEntry[]> => {
    const ids = [...new Set(chunk.map((article) => article.author.toString()))];
    const names = new Map((await UserModel.find({ _id: { $in: ids } }, { username: 1 }).lean()).map((user) => [user._id.toString(), user.username]));
    const entries = chunk.flatMap((article) => {
      const username = names.get(article.author.toString());
      return username ? [{ username, slug: article.slug, updatedAt: article.updatedAt }] : [];
    });
    chunk = [];
    return entries;
  };
  try {
    for await (const article of cursor) {
      chunk.push(article);
      if (chunk.length >= SITEMAP_CHUNK) yield await flush();
    }
    if (chunk.length > 0) yield await flush();
  } finally {
    await cursor.close();
  }
}
