import { Types } from 'mongoose';
import { UserModel, type User } from '../../models/user';
import { VoteModel } from '../../models/vote';
import { coalescingLoader } from '../../lib/coalesce';
import { uniqueIds } from '../objectIds';
import { followPairs } from '../profiles/follows';
import type { StoredArticle } from './findArticle';
import { refreshStaleRenderings } from './rendering';

export type ArticleAuthor = Pick<User, 'username' | 'bio' | 'image' | 'steemAccount' | 'reputation'> & { _id: Types.ObjectId };

/**
 * What the viewer's favorite is worth: `counted` when the viewer's upvote counts (Steem's rules
 * allowed it), `not_counted` when the favorite was recorded without a vote, `reason` naming the vote
 * rule that refused it. With `favorited: false`, `counted` and a reason means an upvote the unfavorite
 * could not withdraw (after the payout, or with the vote's changes used up). null: no favorite, no upvote.
 */
export interface FavoriteVote {
  status: 'counted' | 'not_counted';
  reason?: string;
}

/** An article with what a given viewer sees around it. */
export interface ArticleView {
  article: StoredArticle;
  author: ArticleAuthor;
  favorited: boolean;
  following: boolean;
  /** null for an anonymous viewer, or one who neither favorites nor upvotes the article. */
  favoriteVote: FavoriteVote | null;
}

const AUTHOR_FIELDS = { username: 1, bio: 1, image: 1, steemAccount: 1, reputation: 1 } as const;

/** Loads authors, the viewer's votes and follows for a page of articles in three batched queries. */
export function articleViews(articles: StoredArticle[], viewer?: Types.ObjectId): Promise<ArticleView[]> {
  return viewsOf(articles.map((article) => ({ article, viewer })));
}

interface ViewRequest extends KnownAroundArticle {
  article: StoredArticle;
  viewer?: Types.ObjectId | undefined;
}

/** What the caller already knows about an article's surroundings (a vote's batch read and wrote them): not read again. */
export interface KnownAroundArticle {
  /** Whether the viewer favorites the article (the votes API keeps it equal to an upvote: then counted). */
  favorited?: boolean | undefined;
  author?: ArticleAuthor | undefined;
  /** Whether the viewer follows the author. */
  following?: boolean | undefined;
}

/** Each article as its own viewer sees it, in three batched queries for all of them. */
async function viewsOf(items: ViewRequest[]): Promise<ArticleView[]> {
  if (items.length === 0) return [];
  const current = await refreshStaleRenderings(items.map((item) => item.article));
  const unknownAuthors = uniqueIds(current.flatMap((article, i) => (items[i]!.author ? [] : [article.author])));
  const askFollows = items.filter((item) => item.viewer && item.following === undefined);
  const [authors, favorites, followed] = await Promise.all([
    unknownAuthors.length === 0 ? [] : UserModel.find({ _id: { $in: unknownAuthors } }, AUTHOR_FIELDS).lean<ArticleAuthor[]>(),
    favoritesAmong(current.flatMap((article, i) => (items[i]!.viewer && items[i]!.favorited === undefined ? [{ voter: items[i]!.viewer!, article: article._id }] : []))),
    followPairs(uniqueIds(askFollows.map((item) => item.viewer!)), uniqueIds(askFollows.map((item) => item.article.author))),
  ]);
  const authorsById = new Map(authors.map((author) => [author._id.toString(), author]));
  return current.map((article, i) => {
    const item = items[i]!;
    const viewer = item.viewer?.toString();
    const favorite = viewer === undefined ? undefined : item.favorited !== undefined ? { favorited: item.favorited, favoriteVote: item.favorited ? COUNTED : null } : favorites.get(`${viewer}:${article._id}`);
    return {
      article,
      author: item.author ?? authorsById.get(article.author.toString()) ?? deletedAuthor(article.author),
      favorited: favorite?.favorited ?? false,
      following: viewer !== undefined && (item.following ?? followed.has(`${viewer}:${article.author}`)),
      favoriteVote: favorite?.favoriteVote ?? null,
    };
  });
}

const viewLoader = coalescingLoader<ViewRequest, ArticleView>(async (items) => {
  const views = await viewsOf([...items]);
  return new Map(items.map((item, i) => [item, views[i]!]));
});

/** One article as a viewer sees it; the views asked for by concurrent requests are loaded together. */
export async function articleView(article: StoredArticle, viewer?: Types.ObjectId, known: KnownAroundArticle = {}): Promise<ArticleView> {
  return (await viewLoader.load({ article, viewer, ...known }))!;
}

const COUNTED: FavoriteVote = { status: 'counted' };
const FAVORITE_FIELDS = { article: 1, voter: 1, weight: 1, favorite: 1, favoriteRefusal: 1 } as const;

/** The viewer's favorite and what it is worth, from the vote record. */
export function favoriteOfRecord(record: { weight: number; favorite?: boolean | null; favoriteRefusal?: string | null }): { favorited: boolean; favoriteVote: FavoriteVote | null } {
  const favorited = record.favorite ?? record.weight > 0;
  const reason = record.favoriteRefusal ? { reason: record.favoriteRefusal } : {};
  if (favorited) return { favorited, favoriteVote: record.weight > 0 ? COUNTED : { status: 'not_counted', ...reason } };
  return { favorited, favoriteVote: record.weight > 0 ? { status: 'counted', ...reason } : null };
}

/** `voter:article` → the viewer's favorite, for each of these (viewer, article) pairs that has a vote record. */
export async function favoritesAmong(pairs: { voter: Types.ObjectId; article: Types.ObjectId }[]): Promise<Map<string, ReturnType<typeof favoriteOfRecord>>> {
  if (pairs.length === 0) return new Map();
  const voters = uniqueIds(pairs.map((pair) => pair.voter));
  // One viewer (a page of articles): one $in. Several (concurrent requests' views loaded together):
  // the exact pairs, so the (article, voter) index is probed once per pair, not per viewer and article.
  const which = voters.length === 1 ? { voter: voters[0], article: { $in: uniqueIds(pairs.map((pair) => pair.article)) } } : { $or: pairs };
  const votes = await VoteModel.find(which, FAVORITE_FIELDS).lean();
  return new Map(votes.map((vote) => [`${vote.voter}:${vote.article}`, favoriteOfRecord(vote)]));
}

/** `voter:article` → the favorite, for each reader's votes among their articles (ids as strings): one query, a branch per reader. */
export async function favoritesOfReaders(articlesByReader: ReadonlyMap<string, ReadonlySet<string>>): Promise<Map<string, ReturnType<typeof favoriteOfRecord>>> {
  const branches = [...articlesByReader].map(([reader, articles]) => ({ voter: new Types.ObjectId(reader), article: { $in: [...articles].map((id) => new Types.ObjectId(id)) } }));
  if (branches.length === 0) return new Map();
  const votes = await VoteModel.find(branches.length === 1 ? branches[0]! : { $or: branches }, FAVORITE_FIELDS).lean();
  return new Map(votes.map((vote) => [`${vote.voter}:${vote.article}`, favoriteOfRecord(vote)]));
}

function deletedAuthor(id: Types.ObjectId): ArticleAuthor {
  return { _id: id, username: '[deleted]', bio: '', image: '', steemAccount: null, reputation: '0' };
}
