import type { NamedRevision } from '../../commands/revisions/articleRevisions';

/** A revision's content and its unified diff against the one before; an editor whose account is gone shows as `[deleted]`. */
export function presentRevision(revision: NamedRevision) {
  return {
    number: revision.number,
    title: revision.title,
    description: revision.description,
    body: revision.body,
    tagList: revision.tagList,
    editor: revision.editorName ?? '[deleted]',
    createdAt: revision.createdAt.toISOString(),
    diff: revision.diff,
    diffTruncated: revision.diffTruncated,
  };
}
