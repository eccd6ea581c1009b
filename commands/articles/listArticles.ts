import type { Types } from 'mongoose';
import { ArticleModel } from '../../models/article';
import { FollowModel } from '../../models/follow';
import { ReblogModel } from '../../models/reblog';
import { UserModel } from '../../models/user';
import { VoteModel } from '../../models/vote';
import type { StoredArticle } from './findArticle';
import { MAX_FOLLOWING } from '../profiles/follows';
import { authorsArticleCount, tagArticleCount } from './articleCounts';
import { ordinal } from '../../lib/ordinal';

export type ArticleSort = 'created' | 'trending' | 'hot' | 'payout';

export interface ArticleQuery {
  sort?: ArticleSort;
  /** For `payout`, which looks at posts paying out between now + 12 h and now + 36 h. */
  now?: Date;
  tag?: string;
  author?: string;
  favorited?: string;
  /** Full-text search (the articles' text index): only matching articles, the most relevant first. */
  q?: string;
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
type SortOrder = Record<string, 1 | -1 | { $meta: 'textScore' }>;
const RELEVANCE = { score: { $meta: 'textScore' } } as const;
const HOUR_MS = 3600 * 1000;

/** hivemind's sorts (docs/rewards.md, "Ranking"): trending and hot rank unpaid posts by score; payout ranks posts paying out soon. */
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

/**
 * `?favorited=` pages through the user's favorites (rewarded or not) in the order of the index that
 * holds them (`votes {voter: 1, favorite: 1, createdAt: -1}`): newest vote record first. Combined with
 * another filter, a muted author or a score sort, the favorites looked at are the user's
 * `FAVORITED_FILTERED_WINDOW` most recent in that order.
 */
export const FAVORITED_FILTERED_WINDOW = 1000;
const FAVORITES_IN_INDEX_ORDER = { createdAt: -1 } as const;

/**
 * GET /api/articles: newest first, filtered by tag, author and favoriting user. With `q`, only the
 * articles the text search matches, by relevance (MongoDB's textScore), then in the order asked for.
 */
export async function listArticles(query: ArticleQuery): Promise<ArticlePage> {
  const filter: Record<string, unknown> = {};
  const hidden = query.hiddenAuthors ?? [];
  if (query.q !== undefined) filter.$text = { $search: query.q };
  if (query.tag !== undefined) filter.tagList = query.tag.toLowerCase();
  let author: Types.ObjectId | undefined;
  if (query.author !== undefined) {
    author = (await UserModel.findOne({ usernameKey: query.author.toLowerCase() }, { _id: 1 }).lean())?._id;
    if (!author) return { articles: [], articlesCount: 0 };
    filter.author = author;
  }
  if (hidden.length > 0) {
    filter.author = author ? { $eq: author, $nin: hidden } : { $nin: hidden };
  }
  if (query.favorited !== undefined) {
    const fan = await UserModel.findOne({ usernameKey: query.favorited.toLowerCase() }, { _id: 1 }).lean();
    if (!fan) return { articles: [], articlesCount: 0 };
    const favorites = { voter: fan._id, favorite: true };
    if (Object.keys(filter).length === 0 && (query.sort ?? 'created') === 'created') return favoritedPage(favorites, query);
    const recent = await VoteModel.find(favorites, { article: 1 }).sort(FAVORITES_IN_INDEX_ORDER).limit(FAVORITED_FILTERED_WINDOW).lean();
    filter._id = { $in: recent.map((vote) => vote.article) };
  }
  const sort = sortFor(query, filter);
  // Only the newest-first list narrowed by nothing but a tag, an author and muted authors has a stored count.
  const stored = query.q === undefined && query.favorited === undefined && (query.sort ?? 'created') === 'created';
  const count = stored ? () => storedCount({ tag: filter.tagList as string | undefined, author, hidden }) : () => ArticleModel.countDocuments(filter);
  return page(filter, query, count, query.q === undefined ? sort : { ...RELEVANCE, ...sort });
}

/** One page of a user's upvoted articles: `limit` votes read from the index at `offset`, then their articles. */
async function favoritedPage(favorites: Record<string, unknown>, window: Pick<ArticleQuery, 'offset' | 'limit'>): Promise<ArticlePage> {
  const [votes, articlesCount] = await Promise.all([
    VoteModel.find(favorites, { article: 1 }).sort(FAVORITES_IN_INDEX_ORDER).skip(window.offset).limit(window.limit).lean(),
    VoteModel.countDocuments(favorites),
  ]);
  if (votes.length === 0) return { articles: [], articlesCount };
  const byId = new Map(
    (await ArticleModel.find({ _id: { $in: votes.map((vote) => vote.article) } }, LIST_PROJECTION).lean<StoredArticle[]>()).map((article) => [article._id.toString(), article]),
  );
  return { articles: votes.flatMap((vote) => byId.get(vote.article.toString()) ?? []), articlesCount };
}

/**
 * Articles by the followed authors, newest first, through `articles {author: 1, createdAt: -1}`: the
 * database sorts the followed authors' articles and skips to the page (it keeps `offset + limit`
 * at most, offset ≤ 10,000); the API process holds only the page.
 */
const FEED_ORDER = NEWEST_FIRST;

/**
 * GET /api/articles/feed: articles by followed authors and articles followed users reblogged,
 * newest first (a reblog counts from the time of the reblog), each article once. The followed
 * authors are at most `MAX_FOLLOWING` (commands/profiles/follows.ts). Without reblogs in the window
 * the page is one skip/limit query; otherwise the `offset + limit` newest of each (ids and times
 * only) are merged and only the page's articles are loaded.
 */
export async function feedArticles(
  viewer: Types.ObjectId,
  window: Pick<ArticleQuery, 'offset' | 'limit' | 'hiddenAuthors'>,
): Promise<ArticlePage> {
  const follows = await FollowModel.find({ follower: viewer }, { followee: 1 }).limit(MAX_FOLLOWING).lean();
  const followed = follows.map((follow) => follow.followee);
  if (followed.length === 0) return { articles: [], articlesCount: 0 };
  const hidden = window.hiddenAuthors ?? [];
  const authoredFilter = { author: { $in: followed, $nin: hidden } };
  const countAuthored = () => authorsArticleCount(followed.filter((author) => !hidden.some((muted) => muted.equals(author))));
  const wanted = window.offset + window.limit;

  const reblogs = await ReblogModel.find({ user: { $in: followed } }, { user: 1, article: 1, createdAt: 1 }).sort({ createdAt: -1 }).limit(wanted).lean();
  if (reblogs.length === 0) return page(authoredFilter, window, countAuthored, FEED_ORDER);

  // Reblogged articles by authors the viewer does not follow (followed authors' posts are already in).
  const firstReblog = new Map<string, { user: Types.ObjectId; at: Date }>();
  for (const reblog of reblogs) {
    if (!firstReblog.has(reblog.article.toString())) firstReblog.set(reblog.article.toString(), { user: reblog.user, at: reblog.createdAt });
  }
  const [authored, authoredCount, reblogged, allReblogs] = await Promise.all([
    ArticleModel.find(authoredFilter, { _id: 1, createdAt: 1 }).sort(FEED_ORDER).limit(wanted).lean(),
    countAuthored(),
    ArticleModel.find({ _id: { $in: [...firstReblog.keys()] }, author: { $nin: [...followed, ...hidden, viewer] } }, { _id: 1 }).lean(),
    reblogs.length < wanted ? reblogs.length : ReblogModel.countDocuments({ user: { $in: followed } }),
  ]);

  const entries = [
    ...authored.map((article) => ({ id: article._id, at: article.createdAt.getTime(), via: undefined as Types.ObjectId | undefined })),
    ...reblogged.map((article) => {
      const reblog = firstReblog.get(article._id.toString())!;
      return { id: article._id, at: reblog.at.getTime(), via: reblog.user };
    }),
  ].sort((a, b) => b.at - a.at || ordinal(b.id.toString(), a.id.toString()));

  const pageEntries = entries.slice(window.offset, wanted);
  const rebloggedBy = new Map<string, Types.ObjectId>();
  for (const entry of pageEntries) if (entry.via) rebloggedBy.set(entry.id.toString(), entry.via);
  const loaded = new Map(
    (await ArticleModel.find({ _id: { $in: pageEntries.map((entry) => entry.id) } }, LIST_PROJECTION).lean<StoredArticle[]>()).map((article) => [article._id.toString(), article]),
  );
  // Fewer reblogs than the window: all were read and the count is exact; otherwise reblogs are counted, not their
  // distinct articles (and an article reblogged by several followed users takes several places of the window).
  const rebloggedCount = reblogs.length < wanted ? reblogged.length : allReblogs;
  return {
    articles: pageEntries.flatMap((entry) => loaded.get(entry.id.toString()) ?? []),
    articlesCount: authoredCount + rebloggedCount,
    rebloggedBy,
  };
}

async function page(
  filter: Record<string, unknown>,
  window: Pick<ArticleQuery, 'offset' | 'limit'>,
  count: () => Promise<number>,
  sort: SortOrder = NEWEST_FIRST,
): Promise<ArticlePage> {
  const [articles, articlesCount] = await Promise.all([
    ArticleModel.find(filter, LIST_PROJECTION).sort(sort).skip(window.offset).limit(window.limit).lean<StoredArticle[]>(),
    count(),
  ]);
  return { articles, articlesCount };
}

/**
 * How many articles a newest-first list holds, from the stored counts (commands/articles/articleCounts.ts)
 * rather than by counting its articles, which at scale reads thousands of index entries per request:
 * the whole collection (its metadata count), one tag or one author, less what muted authors wrote.
 * Only a muted author's articles under one tag are counted, from the muted authors' part of the index.
 */
async function storedCount({ tag, author, hidden }: { tag?: string; author?: Types.ObjectId; hidden: readonly Types.ObjectId[] }): Promise<number> {
  if (author) {
    if (hidden.some((muted) => muted.equals(author))) return 0;
    return tag === undefined ? authorsArticleCount([author]) : ArticleModel.countDocuments({ author, tagList: tag });
  }
  const [all, mutedCount] = await Promise.all([
    tag === undefined ? ArticleModel.estimatedDocumentCount() : tagArticleCount(tag),
    hidden.length === 0 ? 0 : tag === undefined ? authorsArticleCount(hidden) : ArticleModel.countDocuments({ author: { $in: hidden }, tagList: tag }),
  ]);
  return Math.max(0, all - mutedCount);
}
