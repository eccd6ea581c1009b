import { Types } from 'mongoose';
import { ArticleModel } from '../../models/article';
import type { StoredArticle } from './findArticle';
import { renderedFields } from './rendering';
import { adjustAuthorCount, adjustTagCounts } from './articleCounts';
import { withFreshSlug } from './allocateSlug';
import { recordRevision } from '../revisions/revisions';
import { notifyMentions } from '../notifications/notify';
import { EventModel } from '../../models/event';

export interface NewArticle {
  title: string;
  description: string;
  body: string;
  tagList: string[];
}

/** Payout options an author may set when publishing (Steem's comment_options; docs/rewards.md, "Payout options"). */
export interface PayoutOptions {
  beneficiaries?: { account: string; weight: number }[];
  /** STEEM units, as a decimal string. */
  maxAcceptedPayout?: string;
  percentLiquid?: number;
  allowVotes?: boolean;
  allowCurationRewards?: boolean;
  declinePayout?: boolean;
}

/**
 * Publishes an article: slug from the title, Markdown rendered and stored, tag and author counts kept, the
 * content recorded as revision 1. `sourceDraft` (unique) makes publishing a draft happen once.
 */
export async function createArticle(
  author: Types.ObjectId,
  input: NewArticle & PayoutOptions,
  options: { payoutAt: Date; sourceDraft?: Types.ObjectId },
): Promise<StoredArticle> {
  const rendered = await renderedFields(input.body);
  const _id = new Types.ObjectId();
  const created = await withFreshSlug(input.title, _id, (slug) =>
    ArticleModel.create({ _id, ...input, ...rendered, slug, author, payoutAt: options.payoutAt, ...(options.sourceDraft ? { sourceDraft: options.sourceDraft } : {}) }),
  );
  await Promise.all([
    adjustTagCounts(input.tagList, []),
    adjustAuthorCount(author, 1),
    recordRevision(created._id, 1, author, input),
    notifyMentions(input.body, author, created._id),
    EventModel.create({ type: 'article.published', user: author, article: created._id }),
  ]);
  return created.toObject() as StoredArticle;
}
