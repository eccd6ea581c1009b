import { findAndRememberArticle, forgetSlug, rememberedArticle } from '../articles/findArticle';
import { VoteBatcher } from './queue';
import { ArticleMovedFromSlug, type CastVoteResult, type VoteOutcome, type VoteRequest } from './voteRequest';

export type { CastVoteResult, VoteOutcome } from './voteRequest';
export { stakeOf } from './voterMana';

const votes = new VoteBatcher();

/** Votes are taken in batches at most once per this many milliseconds (VOTE_BATCH_WINDOW_MS; 0 until configured). */
export function configureVoteBatching(settings: { windowMs: number }): void {
  votes.setWindow(settings.windowMs);
}

/**
 * Casts (or changes, or with weight 0 removes) a vote by Steem's rules. Refusals are 422s naming
 * the rule. A voter's votes are decided one at a time, in order; votes arriving together are decided,
 * charged and applied together.
 */
export function castVote(request: Omit<VoteRequest, 'favorite'>): Promise<CastVoteResult> {
  return votes.submit({ ...request, favorite: undefined });
}

/**
 * Favorites (or unfavorites) through the same batches as votes. Never refused by a vote rule: the
 * favorite is recorded as asked, and is a 10000 upvote (an unfavorite removes the upvote) only when
 * Steem's rules allow it; otherwise the record names the rule (`favoriteRefusal`).
 */
export function castFavorite(request: Omit<VoteRequest, 'weight' | 'favorite'> & { favorite: boolean }): Promise<VoteOutcome> {
  return votes.submit({ ...request, weight: request.favorite ? 10000 : 0 });
}

/**
 * A vote on the article a slug names. Which article that is, is remembered, so a vote reads nothing
 * before its batch (which reads the post anyway); the batch checks that the remembered slug is still
 * the post's own, and when it is not (the title changed, or the article was deleted) the slug is
 * looked up again.
 */
export async function castVoteBySlug(slug: string, vote: Omit<VoteRequest, 'article' | 'author' | 'rememberedSlug' | 'favorite'>): Promise<CastVoteResult> {
  const remembered = rememberedArticle(slug);
  if (remembered) {
    try {
      return await castVote({ ...vote, article: remembered._id, author: remembered.author, rememberedSlug: slug });
    } catch (error) {
      if (!(error instanceof ArticleMovedFromSlug)) throw error;
      forgetSlug(slug);
    }
  }
  const article = await findAndRememberArticle(slug);
  return castVote({ ...vote, article: article._id, author: article.author });
}
