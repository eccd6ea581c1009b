import type { Types } from 'mongoose';
import { VoteModel } from '../../models/vote';
import { findArticleBySlug } from '../articles/findArticle';
import { findArticleComment } from '../comments/articleComments';
import { usernamesByIds } from '../users/usersByIds';

/** A vote as a post's vote list shows it; `voter` is undefined when the voter's account is gone. */
export interface ListedVote {
  voter: string | undefined;
  weight: number;
  rshares: string;
  createdAt: Date;
}

type VotePage = { votes: ListedVote[]; votesCount: number };

/**
 * A page of the votes on a post item (an article or a comment, by its id), oldest first, with their
 * voters' names, and how many there are. A record with weight 0 and no changes is a favorite that
 * never was a vote (the rules refused it): not listed.
 */
async function listVotesOn(post: Types.ObjectId, window: { offset: number; limit: number }): Promise<VotePage> {
  const cast = { article: post, $nor: [{ weight: 0, changes: 0 }] };
  const [votes, votesCount] = await Promise.all([
    VoteModel.find(cast).sort({ createdAt: 1, _id: 1 }).skip(window.offset).limit(window.limit).lean(),
    VoteModel.countDocuments(cast),
  ]);
  const names = await usernamesByIds(votes.map((vote) => vote.voter as Types.ObjectId));
  return {
    votes: votes.map((vote) => ({ voter: names.get(vote.voter.toString()), weight: vote.weight, rshares: vote.rshares ?? '0', createdAt: vote.createdAt as Date })),
    votesCount,
  };
}

/** A page of the votes on the article a slug names. */
export async function listArticleVotes(slug: string, window: { offset: number; limit: number }): Promise<VotePage> {
  return listVotesOn((await findArticleBySlug(slug))._id, window);
}

/** A page of the votes on a comment of the article a slug names. */
export async function listCommentVotes(slug: string, commentId: number, window: { offset: number; limit: number }): Promise<VotePage> {
  return listVotesOn((await findArticleComment(slug, commentId)).comment._id, window);
}
