import type { ArticleView } from '../../commands/articles/articleViews';
import type { ArticlePatch } from '../../server/readCache';
import { presentArticle, type PresentContext } from '../presenters/article';
import type { PresentedAs } from '../presenters/viewerSlots';
import { articleTag } from './readKeys';

/** The lists a vote or favorite can reorder or change the members of: dropped, never patched. */
const REORDERED_BY_VOTES = ['ranked-lists', 'favorited-lists'] as const;

/** An estimate, on the high side, of an article view beyond its body and HTML (fields, author, their strings). */
const VIEW_OVERHEAD_BYTES = 4096;

/**
 * What a vote or favorite on an article changes in cached answers: the article (its counters, pending
 * payout, author's reputation) written into the answers showing it, as they present it; the lists it
 * can reorder dropped (docs/architecture.md, "Shared answers").
 */
export function votePatch(view: ArticleView, context: Omit<PresentContext, 'withBody'>): ArticlePatch {
  const id = view.article._id.toString();
  const { voteSeq } = view.article;
  const present = (as: PresentedAs) => presentArticle(view, { ...context, withBody: as === 'one' });
  return {
    tag: articleTag(id),
    // An article stored before votes were counted in sequence cannot be ordered against others: dropped.
    change: voteSeq === undefined ? undefined : { id, author: view.article.author.toString(), voteSeq, present },
    invalidate: REORDERED_BY_VOTES,
    heldBytes: 2 * (view.article.body.length + view.article.bodyHtml.length) + VIEW_OVERHEAD_BYTES,
  };
}
