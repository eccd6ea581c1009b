import { findArticleBySlug } from '../articles/findArticle';
import { usernamesByIds } from '../users/usersByIds';
import { listRevisions, type RevisionWithDiff } from './revisions';

/** A revision with its editor's name (undefined when the editor's account is gone). */
export type NamedRevision = RevisionWithDiff & { editorName: string | undefined };

/** A page of the revisions of the article a slug names, oldest first, with diffs and editors' names, and how many there are. */
export async function articleRevisions(slug: string, page: { limit: number; offset: number }): Promise<{ revisions: NamedRevision[]; total: number }> {
  const article = await findArticleBySlug(slug);
  const { revisions, total } = await listRevisions(article._id, page);
  const names = await usernamesByIds(revisions.map((revision) => revision.editor));
  return { revisions: revisions.map((revision) => ({ ...revision, editorName: names.get(revision.editor.toString()) })), total };
}
