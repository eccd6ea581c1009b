import { LRUCache } from 'lru-cache';
import type { Types } from 'mongoose';
import type { RewardFundState } from '../../domain/rewards';
import { AppError } from '../../lib/errors';
import { findArticleComment, withAuthors, type CommentView } from '../comments/articleComments';
import { findComment } from '../comments/comments';
import { castVote, type CastVoteResult } from './castVote';
import { isCommentItem } from './reads';
import type { VoteRequest } from './voteRequest';

/** A vote as cast on a comment, the comment as it stands after it, and the fund its estimates use. */
export interface CommentVoteCast {
  voterName: string;
  vote: CastVoteResult['vote'];
  view: CommentView;
  /** The comment's article (whose cached reads the vote invalidates). */
  article: Types.ObjectId;
  fund: RewardFundState;
}

/** Which comment an address names: what a vote needs before its batch (which reads the comment anyway). */
interface CommentIdentity {
  _id: Types.ObjectId;
  id: number;
  author: Types.ObjectId;
  article: Types.ObjectId;
}

/*
 * Which comment `/articles/:slug/comments/:id` names is remembered per process (at most 10,000), so a
 * comment vote reads nothing before its batch, as an article vote does. It cannot go stale but by a
 * delete: comment ids are global and a comment never moves, and a slug never comes to name another
 * article (the slugs an article held stay reserved to it). A deleted comment (or article) is not found
 * by the batch, and its entry is forgotten.
 */
const identities = new LRUCache<string, CommentIdentity>({ max: 10_000 });
const keyOf = (slug: string, commentId: number) => `${commentId}@${slug}`;

async function commentIdentity(slug: string, commentId: number): Promise<CommentIdentity> {
  const remembered = identities.get(keyOf(slug, commentId));
  if (remembered) return remembered;
  const { article, comment } = await findArticleComment(slug, commentId);
  const identity = { _id: comment._id, id: comment.id, author: comment.author, article: article._id };
  identities.set(keyOf(slug, commentId), identity);
  return identity;
}

/**
 * Casts a vote on a comment (on Steem a reply is a post): the same vote engine, rules, mana and
 * rshares as an article vote (`castVote`), on the comment as the post item. Returns the comment as
 * the voter sees it after the vote: from the batch's own write and reads when it has them (the
 * author as the batch left them, whether the voter follows them), otherwise read back.
 */
export async function voteOnComment(slug: string, commentId: number, vote: Omit<VoteRequest, 'article' | 'author' | 'comment' | 'rememberedSlug' | 'favorite'>): Promise<CommentVoteCast> {
  const comment = await commentIdentity(slug, commentId);
  let result: CastVoteResult;
  try {
    result = await castVote({ ...vote, article: comment._id, author: comment.author, comment: { id: comment.id, article: comment.article } });
  } catch (error) {
    if (error instanceof AppError && error.kind === 'not_found') identities.delete(keyOf(slug, commentId));
    throw error;
  }
  const after = result.post && isCommentItem(result.post) ? result.post : undefined;
  const view = after && result.author ? { comment: after, author: result.author, following: result.following } : (await withAuthors([after ?? (await findComment({ _id: comment.article }, commentId))], vote.voter))[0]!;
  return { voterName: result.voterName, vote: result.vote, view, article: comment.article, fund: result.fund };
}
