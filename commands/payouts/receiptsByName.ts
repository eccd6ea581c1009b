import { findArticleBySlug } from '../articles/findArticle';
import { findProfileUser } from '../profiles/findProfileUser';
import { articlePayoutReceipt, userPayouts } from './receipts';

/** The payout receipt of the article a slug names. */
export async function articlePayoutReceiptBySlug(slug: string): ReturnType<typeof articlePayoutReceipt> {
  return articlePayoutReceipt(await findArticleBySlug(slug));
}

/** A page of the payments of the user a profile URL names, newest first. */
export async function userPayoutsByName(username: string, window: { limit: number; offset: number }): ReturnType<typeof userPayouts> {
  return userPayouts((await findProfileUser(username))._id, window);
}
