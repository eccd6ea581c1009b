import type { StoredDraft } from '../../commands/drafts/drafts';

export function presentDraft(draft: StoredDraft) {
  return {
    id: draft._id.toString(),
    title: draft.title,
    description: draft.description,
    body: draft.body,
    tagList: draft.tagList,
    publishAt: draft.publishAt ? draft.publishAt.toISOString() : null,
    status: draft.status,
    articleSlug: draft.articleSlug ?? null,
    publishError: draft.publishError ?? null,
    createdAt: draft.createdAt.toISOString(),
    updatedAt: draft.updatedAt.toISOString(),
  };
}
