import type { Types } from 'mongoose';
import type { RewardFundState } from '../../domain/rewards';
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

/**
 * Casts a vote on a comment (on Steem a reply is a post): the same vote engine, rules, mana and
 * rshares as an article vote (`castVote`), on the comment as the post item. Returns the comment as
 * the voter sees it after the vote: from the batch's own write when it has it, otherwise read back.
 */
export async function voteOnComment(slug: string, commentId: number, vote: Omit<VoteRequest, 'article' | 'author' | 'comment' | 'rememberedSlug' | 'favorite'>): Promise<CommentVoteCast> {
  const { article, comment } = await findArticleComment(slug, commentId);
  const result = await castVote({ ...vote, article: comment._id, author: comment.author, comment: { id: comment.id, article: article._id } });
  const after = result.post && isCommentItem(result.post) ? result.post : await findComment(article, commentId);
  const [view] = await withAuthors([after], vote.voter);
  return { voterName: result.voterName, vote: result.vote, view: view!, article: article._id, fund: result.fund };
}
