import type { Types } from 'mongoose';
import { UserModel, type User } from '../../models/user';
import { VoteModel } from '../../models/vote';
import { coalescingLoader } from '../../server/coalesce';
import { uniqueIds } from '../objectIds';
import { followPairs } from '../profiles/follows';
import type { StoredArticle } from './findArticle';
import { refreshStaleRenderings } from './rendering';

export type ArticleAuthor = Pick<User, 'username' | 'bio' | 'image' | 'steemAccount' | 'reputation'> & { _id: Types.ObjectId };

/** An article with what a given viewer sees around it. */
export interface ArticleView {
  article: StoredArticle;
  author: ArticleAuthor;
  favorited: boolean;
  following: boolean;
}

const AUTHOR_FIELDS = { username: 1, bio: 1, image: 1, steemAccount: 1, reputation: 1 } as const;

/** Loads authors, the viewer's votes and follows for a page of articles in three batched queries. */
export function articleViews(articles: StoredArticle[], viewer?: Types.ObjectId): Promise<ArticleView[]> {
  return viewsOf(articles.map((article) => ({ article, viewer })));
}

interface ViewRequest {
  article: StoredArticle;
  viewer?: Types.ObjectId | undefined;
  /** Whether the viewer's vote is an upvote, when the caller knows it (having just cast it). */
  favorited?: boolean | undefined;
}

/** Each article as its own viewer sees it, in three batched queries for all of them. */
async function viewsOf(items: ViewRequest[]): Promise<ArticleView[]> {
  if (items.length === 0) return [];
  const current = await refreshStaleRenderings(items.map((item) => item.article));
  const authorIds = uniqueIds(current.map((a) => a.author));
  const viewers = uniqueIds(items.flatMap((item) => (item.viewer ? [item.viewer] : [])));
  const [authors, upvoted, followed] = await Promise.all([
    UserModel.find({ _id: { $in: authorIds } }, AUTHOR_FIELDS).lean<ArticleAuthor[]>(),
    upvotedAmong(current.flatMap((article, i) => (items[i]!.viewer && items[i]!.favorited === undefined ? [{ voter: items[i]!.viewer!, article: article._id }] : []))),
    followPairs(viewers, authorIds),
  ]);
  const authorsById = new Map(authors.map((author) => [author._id.toString(), author]));
  return current.map((article, i) => {
    const viewer = items[i]!.viewer?.toString();
    return {
      article,
      author: authorsById.get(article.author.toString()) ?? deletedAuthor(article.author),
      favorited: viewer !== undefined && (items[i]!.favorited ?? upvoted.has(`${viewer}:${article._id}`)),
      following: viewer !== undefined && followed.has(`${viewer}:${article.author}`),
    };
  });
}

const viewLoader = coalescingLoader<ViewRequest, ArticleView>(async (items) => {
  const views = await viewsOf([...items]);
  return new Map(items.map((item, i) => [item, views[i]!]));
});

/** One article as a viewer sees it; the views asked for by concurrent requests are loaded together. */
export async function articleView(article: StoredArticle, viewer?: Types.ObjectId, known: { favorited?: boolean } = {}): Promise<ArticleView> {
  return (await viewLoader.load({ article, viewer, favorited: known.favorited }))!;
}

/** `voter:article` for each of these (viewer, article) pairs where the viewer upvoted the article. */
async function upvotedAmong(pairs: { voter: Types.ObjectId; article: Types.ObjectId }[]): Promise<Set<string>> {
  if (pairs.length === 0) return new Set();
  const voters = uniqueIds(pairs.map((pair) => pair.voter));
  // One viewer (a page of articles): one $in. Several (concurrent requests' views loaded together):
  // the exact pairs, so the (article, voter) index is probed once per pair, not per viewer and article.
  const which = voters.length === 1 ? { voter: voters[0], article: { $in: uniqueIds(pairs.map((pair) => pair.article)) } } : { $or: pairs };
  const votes = await VoteModel.find({ ...which, weight: { $gt: 0 } }, { article: 1, voter: 1 }).lean();
  return new Set(votes.map((vote) => `${vote.voter}:${vote.article}`));
}

function deletedAuthor(id: Types.ObjectId): ArticleAuthor {
  return { _id: id, username: '[deleted]', bio: '', image: '', steemAccount: null, reputation: '0' };
}
