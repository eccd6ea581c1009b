import type { Types } from 'mongoose';
import type { RewardPolicy } from '../../domain/rewards';
import { viewArticleBySlug } from '../articles/articlePages';
import type { ArticleView } from '../articles/articleViews';
import { findArticleBySlug } from '../articles/findArticle';
import { castFavorite } from './castVote';

/**
 * RealWorld favorites always succeed with the state asked for; their vote follows Steem's rules.
 * The batch decides: a favorite is a 10000 bp upvote and an unfavorite sets it to 0 when the rules
 * allow it; otherwise (too soon, changes used up, after payout, no mana, votes not allowed) the
 * favorite is recorded without a vote, and the article's `favoriteVote` says which and why. Asking
 * for the state the favorite is already in changes nothing (`changed: false`).
 */
export async function setFavorite(props: { voter: Types.ObjectId; slug: string; favorite: boolean; now: Date; policy: RewardPolicy }): Promise<{ changed: boolean; view: ArticleView }> {
  const article = await findArticleBySlug(props.slug);
  const outcome = await castFavorite({ voter: props.voter, article: article._id, author: article.author, favorite: props.favorite, now: props.now, policy: props.policy });
  return { changed: !outcome.unchanged, view: await viewArticleBySlug(article.slug, props.voter) };
}
