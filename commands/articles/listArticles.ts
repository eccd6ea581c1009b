import type { Types } from 'mongoose';
import { ArticleModel } from '../../models/article';
import { FollowModel } from '../../models/follow';
import { UserModel } from '../../models/user';
import { VoteModel } from '../../models/vote';
import type { StoredArticle } from './findArticle';

export interface ArticleQuery {
  tag?: string;
  author?: string;
  favorited?: string;
  offset: number;
  limit: number;
}

export interface ArticlePage {
  articles: StoredArticle[];
  articlesCount: number;
}

/** Fields a list shows; bodies and their HTML stay out of list responses. */
const LIST_PROJECTION = { body: 0, bodyHtml: 0, previousSlugs: 0 } as const;
const NEWEST_FIRST = { createdAt: -1, _id: -1 } as const;

/** GET /api/articles: newest first, filtered by tag, author and favoriting user. */
export async function listArticles(query: ArticleQuery): Promise<ArticlePage> {
  const filter: Record<string, unknown> = {};
  if (query.tag !== undefined) filter.tagList = query.tag.toLowerCase();
  if (query.author !== undefined) {
    const author = await UserModel.findOne({ usernameKey: query.author.toLowerCase() }, { _id: 1 }).lean();
    if (!author) return { articles: [], articlesCount: 0 };
    filter.author = author._id;
  }
  if (query.favorited !== undefined) {
    const fan = await UserModel.findOne({ usernameKey: query.favorited.toLowerCase() }, { _id: 1 }).lean();
    if (!fan) return { articles: [], articlesCount: 0 };
    const upvotes = await VoteModel.find({ voter: fan._id, weight: { $gt: 0 } }, { article: 1 }).lean();
    filter._id = { $in: upvotes.map((vote) => vote.article) };
  }
  return page(filter, query);
}

/** GET /api/articles/feed: articles by the authors the viewer follows, newest first. */
export async function feedArticles(viewer: Types.ObjectId, window: Pick<ArticleQuery, 'offset' | 'limit'>): Promise<ArticlePage> {
  const follows = await FollowModel.find({ follower: viewer }, { followee: 1 }).lean();
  if (follows.length === 0) return { articles: [], articlesCount: 0 };
  return page({ author: { $in: follows.map((follow) => follow.followee) } }, window);
}

async function page(filter: Record<string, unknown>, window: Pick<ArticleQuery, 'offset' | 'limit'>): Promise<ArticlePage> {
  const [articles, articlesCount] = await Promise.all([
    ArticleModel.find(filter, LIST_PROJECTION).sort(NEWEST_FIRST).skip(window.offset).limit(window.limit).lean<StoredArticle[]>(),
    ArticleModel.countDocuments(filter),
  ]);
  return { articles, articlesCount };
}
