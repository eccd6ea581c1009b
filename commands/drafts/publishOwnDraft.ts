import type { Types } from 'mongoose';
import { conflict } from '../../lib/errors';
import { articleViews, type ArticleView } from '../articles/articleViews';
import { findOwnDraft, publishDraft } from './drafts';

/** Publishes one of the author's drafts now (409 when it is being published or was already); returns the article as its author sees it. */
export async function publishOwnDraft(author: Types.ObjectId, draftId: string, props: { now: Date; payoutWindowSeconds: number }): Promise<ArticleView> {
  const draft = await findOwnDraft(author, draftId);
  const article = await publishDraft(draft._id, props.now, { payoutWindowSeconds: props.payoutWindowSeconds, expectedAuthor: author });
  if (!article) throw conflict('this draft is being published or was published already', 'draft');
  const [view] = await articleViews([article], author);
  return view!;
}
