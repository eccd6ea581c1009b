import type { Types } from 'mongoose';
import { ArticleModel } from '../../models/article';
import { FollowModel } from '../../models/follow';
import { ReblogModel } from '../../models/reblog';
import { UserModel } from '../../models/user';
import { VoteModel } from '../../models/vote';
import type { StoredArticle } from './findArticle';

export type ArticleSort = 'created' | 'trending' | 'hot' | 'payout';

export interface ArticleQuery {
  sort?: ArticleSort;
  /** For `payout`, which looks at posts paying out between now + 12 h and now + 36 h. */
  now?: Date;
  tag?: string;
  author?: string;
  favorited?: string;
  offset: number;
  limit: number;
  /** Authors the viewer muted: their articles are left out. */
  hiddenAuthors?: Types.ObjectId[];
}

export interface ArticlePage {
  articles: StoredArticle[];
  articlesCount: number;
  /** For feed entries that are there because a followed user reblogged them: article id → that user's id. */
  rebloggedBy?: Map<string, Types.ObjectId>;
}

/** Fields a list shows; bodies and their HTML stay out of list responses. */
const LIST_PROJECTION = { body: 0, bodyHtml: 0, previousSlugs: 0, appliedVoteOps: 0 } as const;
const NEWEST_FIRST = { createdAt: -1, _id: -1 } as const;
const HOUR_MS = 3600 * 1000;

/** hivemind's sorts (§4.2): trending and hot rank unpaid posts by score; payout ranks posts paying out soon. */
function sortFor(query: ArticleQuery, filter: Record<string, unknown>): Record<string, 1 | -1> {
  switch (query.sort ?? 'created') {
    case 'trending':
      filter.paid = false;
      return { trendingScore: -1, _id: 1 };
    case 'hot':
      filter.paid = false;
      return { hotScore: -1, _id: 1 };
    case 'payout': {
      const now = (query.now ?? new Date()).getTime();
      filter.paid = false;
      filter.payoutAt = { $gte: new Date(now + 12 * HOUR_MS), $lte: new Date(now + 36 * HOUR_MS) };
      return { rankRshares: -1, _id: 1 };
    }
    default:
      return NEWEST_FIRST;
  }
}

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
  if (query.hiddenAuthors && query.hiddenAuthors.length > 0) {
    filter.author = filter.author ? { $eq: filter.author, $nin: query.hiddenAuthors } : { $nin: query.hiddenAuthors };
  }
  const sort = sortFor(query, filter);
  return page(filter, query, sort);
}

/**
 * GET /api/articles/feed: articles by followed authors and articles followed users reblogged,
 * newest first (a reblog counts from the time of the reblog), each article once.
 */
export async function feedArticles(
  viewer: Types.ObjectId,
  window: Pick<ArticleQuery, 'offset' | 'limit' | 'hiddenAuthors'>,
): Promise<ArticlePage> {
  const follows = await FollowModel.find({ follower: viewer }, { followee: 1 }).lean();
  const followed = follows.map((follow) => follow.followee);
  if (followed.length === 0) return { articles: [], articlesCount: 0 };
  const hidden = window.hiddenAuthors ?? [];
  const authoredFilter = { author: { $in: followed, $nin: hidden } };
  const wanted = window.offset + window.limit;

  const [authored, authoredCount, reblogs] = await Promise.all([
    ArticleModel.find(authoredFilter, LIST_PROJECTION).sort(NEWEST_FIRST).limit(wanted).lean<StoredArticle[]>(),
    ArticleModel.countDocuments(authoredFilter),
    ReblogModel.find({ user: { $in: followed } }, { user: 1, article: 1, createdAt: 1 }).sort({ createdAt: -1 }).lean(),
  ]);
  if (reblogs.length === 0) return { articles: authored.slice(window.offset), articlesCount: authoredCount };

  // Reblogged articles by authors the viewer does not follow (followed authors' posts are already in).
  const firstReblog = new Map<string, { user: Types.ObjectId; at: Date }>();
  for (const reblog of reblogs) {
    if (!firstReblog.has(reblog.article.toString())) firstReblog.set(reblog.article.toString(), { user: reblog.user, at: reblog.createdAt });
  }
  const rebloggedArticles = await ArticleModel.find(
    { _id: { $in: [...firstReblog.keys()] }, author: { $nin: [...followed, ...hidden, viewer] } },
    LIST_PROJECTION,
  ).lean<StoredArticle[]>();

  const entries = [
    ...authored.map((article) => ({ article, at: article.createdAt.getTime(), via: undefined as Types.ObjectId | undefined })),
    ...rebloggedArticles.map((article) => {
      const reblog = firstReblog.get(article._id.toString())!;
      return { article, at: reblog.at.getTime(), via: reblog.user };
    }),
  ].sort((a, b) => b.at - a.at || b.article._id.toString().localeCompare(a.article._id.toString()));

  const pageEntries = entries.slice(window.offset, wanted);
  const rebloggedBy = new Map<string, Types.ObjectId>();
  for (const entry of pageEntries) if (entry.via) rebloggedBy.set(entry.article._id.toString(), entry.via);
  return { articles: pageEntries.map((e) => e.article), articlesCount: authoredCount + rebloggedArticles.length, rebloggedBy };
}

async function page(filter: Record<string, unknown>, window: Pick<ArticleQuery, 'offset' | 'limit'>, sort: Record<string, 1 | -1> = NEWEST_FIRST): Promise<ArticlePage> {
  const [articles, articlesCount] = await Promise.all([
    ArticleModel.find(filter, LIST_PROJECTION).sort(sort).skip(window.offset).limit(window.limit).lean<StoredArticle[]>(),
    ArticleModel.countDocuments(filter),
  ]);
  return { articles, articlesCount };
}
