import type { Types } from 'mongoose';
import type { RewardPolicy } from '../../domain/rewards';
import { reblogArticle, undoReblog } from '../community/reblogs';
import type { Viewer } from '../users/viewer';
import { viewArticleBySlug } from './articlePages';
import type { ArticleView } from './articleViews';
import { createArticle, type NewArticle, type PayoutOptions } from './createArticle';
import { deleteArticle } from './deleteArticle';
import { findArticleBySlug } from './findArticle';
import { checkPayoutOptions } from './payoutOptions';
import { updateArticle, type ArticleChanges } from './updateArticle';

/**
 * The article operations the API addresses by slug (current or earlier): each finds the article,
 * acts, and (for the ones that answer with it) returns the article as its author or the viewer now sees it.
 */

/** Publishes a new article paying out one payout window from `now`, after checking its payout options against the policy. */
export async function writeArticle(author: Types.ObjectId, article: NewArticle & PayoutOptions, props: { now: Date; policy: RewardPolicy }): Promise<ArticleView> {
  checkPayoutOptions(article, props.policy);
  const payoutAt = new Date(props.now.getTime() + props.policy.payoutWindowSeconds * 1000);
  const created = await createArticle(author, article, { payoutAt });
  return viewArticleBySlug(created.slug, author);
}

export async function updateArticleBySlug(viewer: Viewer, slug: string, changes: ArticleChanges): Promise<ArticleView> {
  const updated = await updateArticle(viewer, await findArticleBySlug(slug), changes);
  return viewArticleBySlug(updated.slug, viewer._id);
}

export async function deleteArticleBySlug(viewer: Viewer, slug: string, now: Date): Promise<void> {
  await deleteArticle(viewer, await findArticleBySlug(slug), now);
}

/** Reblogs (or with `reblog: false` undoes the reblog of) the article; returns its current slug. */
export async function setReblog(user: Types.ObjectId, slug: string, reblog: boolean): Promise<string> {
  const article = await findArticleBySlug(slug);
  await (reblog ? reblogArticle(user, article) : undoReblog(user, article));
  return article.slug;
}
