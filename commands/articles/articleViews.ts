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

interface ViewRequest extends KnownAroundArticle {
  article: StoredArticle;
  viewer?: Types.ObjectId | undefined;
}

/** What the caller already knows about an article's surroundings (a vote's batch read and wrote them): not read again. */
export interface KnownAroundArticle {
  /** Whether the viewer's vote is an upvote. */
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
  const [authors, upvoted, followed] = await Promise.all([
    unknownAuthors.length === 0 ? [] : UserModel.find({ _id: { $in: unknownAuthors } }, AUTHOR_FIELDS).lean<ArticleAuthor[]>(),
    upvotedAmong(current.flatMap((article, i) => (items[i]!.viewer && items[i]!.favorited === undefined ? [{ voter: items[i]!.viewer!, article: article._id }] : []))),
    followPairs(uniqueIds(askFollows.map((item) => item.viewer!)), uniqueIds(askFollows.map((item) => item.article.author))),
  ]);
  const authorsById = new Map(authors.map((author) => [author._id.toString(), author]));
  return current.map((article, i) => {
    const item = items[i]!;
    const viewer = item.viewer?.toString();
    return {
      article,
      author: item.author ?? authorsById.get(article.author.toString()) ?? deletedAuthor(article.author),
      favorited: viewer !== undefined && (item.favorited ?? upvoted.has(`${viewer}:${article._id}`)),
      following: viewer !== undefined && (item.following ?? followed.has(`${viewer}:${article.author}`)),
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
