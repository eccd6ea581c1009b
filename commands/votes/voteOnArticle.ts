import { Types } from 'mongoose';
import type { RewardFundState } from '../../domain/rewards';
import { articleView, type ArticleView } from '../articles/articleViews';
import { findArticleById } from '../articles/findArticle';
import { castVoteBySlug, type CastVoteResult } from './castVote';
import { isCommentItem } from './reads';

type VoteOnSlug = Parameters<typeof castVoteBySlug>[1];

/** A vote as cast, the article as it stands after it, and the fund its estimates use. */
export interface VoteCast {
  voterName: string;
  vote: CastVoteResult['vote'];
  view: ArticleView;
  fund: RewardFundState;
}

/**
 * Casts a vote on the article a slug names (`castVoteBySlug`) and returns the article as the voter
 * sees it after the vote: from the batch's own write when it has it, otherwise read back.
 */
export async function voteOnArticle(slug: string, vote: VoteOnSlug): Promise<VoteCast> {
  const result = await castVoteBySlug(slug, vote);
  const view = result.post && !isCommentItem(result.post)
    ? await articleView(result.post, vote.voter, { favorited: result.vote.weight > 0, following: result.following, author: result.author })
    : await articleView(await findArticleById(new Types.ObjectId(result.applied.article)), vote.voter);
  return { voterName: result.voterName, vote: result.vote, view, fund: result.fund };
}
