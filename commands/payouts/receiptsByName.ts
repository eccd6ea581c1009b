import { findArticleBySlug } from '../articles/findArticle';
import { findProfileUser } from '../profiles/findProfileUser';
import { findArticleComment } from '../comments/articleComments';
import { payoutTimeOf } from '../votes/payoutTime';
import type { RewardPolicy } from '../../domain/rewards';
import { articlePayoutReceipt, commentPayoutReceipt, userPayouts } from './receipts';

/** The payout receipt of the article a slug names. */
export async function articlePayoutReceiptBySlug(slug: string): ReturnType<typeof articlePayoutReceipt> {
  return articlePayoutReceipt(await findArticleBySlug(slug));
}

/** The payout receipt of a comment of the article a slug names. */
export async function commentPayoutReceiptBySlug(slug: string, commentId: number, policy: RewardPolicy): ReturnType<typeof commentPayoutReceipt> {
  const { article, comment } = await findArticleComment(slug, commentId);
  return commentPayoutReceipt(article, { _id: comment._id, id: comment.id, payoutAt: payoutTimeOf(comment, policy) });
}

/** A page of the payments of the user a profile URL names, newest first. */
export async function userPayoutsByName(username: string, window: { limit: number; offset: number }): ReturnType<typeof userPayouts> {
  return userPayouts((await findProfileUser(username))._id, window);
}
