import type { Types } from 'mongoose';
import { UserModel, type User } from '../../models/user';
import { VoteModel } from '../../models/vote';
import { followedAmong } from '../profiles/follows';
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
export async function articleViews(articles: StoredArticle[], viewer?: Types.ObjectId): Promise<ArticleView[]> {
  if (articles.length === 0) return [];
  const current = await refreshStaleRenderings(articles);
  const authorIds = [...new Map(current.map((a) => [a.author.toString(), a.author])).values()];
  const [authors, favorited, following] = await Promise.all([
    UserModel.find({ _id: { $in: authorIds } }, AUTHOR_FIELDS).lean<ArticleAuthor[]>(),
    upvotedAmong(viewer, current.map((a) => a._id)),
    followedAmong(viewer, authorIds),
  ]);
  const authorsById = new Map(authors.map((author) => [author._id.toString(), author]));
  return current.map((article) => ({
    article,
    author: authorsById.get(article.author.toString()) ?? deletedAuthor(article.author),
    favorited: favorited.has(article._id.toString()),
    following: following.has(article.author.toString()),
  }));
}

async function upvotedAmong(viewer: Types.ObjectId | undefined, articleIds: Types.ObjectId[]): Promise<Set<string>> {
  if (!viewer) return new Set();
  const votes = await VoteModel.find({ voter: viewer, article: { $in: articleIds }, weight: { $gt: 0 } }, { article: 1 }).lean();
  return new Set(votes.map((vote) => vote.article.toString()));
}

function deletedAuthor(id: Types.ObjectId): ArticleAuthor {
  return { _id: id, username: '[deleted]', bio: '', image: '', steemAccount: null, reputation: '0' };
}
