import { ArticleModel } from '../../models/article';
import { forbidden, notFound } from '../../lib/errors';
import type { Viewer } from '../users/viewer';
import type { StoredArticle } from './findArticle';
import { renderedFields } from './rendering';
import { adjustTagCounts } from './articleCounts';
import { withFreshSlug } from './allocateSlug';
import { recordRevision } from '../revisions/revisions';

export interface ArticleChanges {
  title?: string;
  description?: string;
  body?: string;
  tagList?: string[];
}

/**
 * Edits an article (author only). A new title gives a new slug; the old one is kept in
 * `previousSlugs` so existing links still resolve.
 */
export async function updateArticle(viewer: Viewer, article: StoredArticle, changes: ArticleChanges): Promise<StoredArticle> {
  if (!article.author.equals(viewer._id)) throw forbidden('only the author may edit this article', 'article');
  const set: Record<string, unknown> = {};
  if (changes.description !== undefined) set.description = changes.description;
  if (changes.body !== undefined) Object.assign(set, { body: changes.body }, await renderedFields(changes.body));
  if (changes.tagList !== undefined) set.tagList = changes.tagList;

  const titleChanged = changes.title !== undefined && changes.title !== article.title;
  const apply = (slug?: string) => {
    const update: Record<string, unknown> = {
      $set: { ...set, ...(changes.title !== undefined ? { title: changes.title } : {}), ...(slug ? { slug } : {}) },
      $inc: { revision: 1 },
    };
    if (slug && slug !== article.slug) update.$addToSet = { previousSlugs: article.slug };
    return ArticleModel.findOneAndUpdate({ _id: article._id }, update, { returnDocument: 'after' }).lean<StoredArticle>();
  };
  const updated = titleChanged ? await withFreshSlug(changes.title!, article._id, apply) : await apply();
  if (!updated) throw notFound('article was deleted', 'article');
  await recordRevision(updated._id, updated.revision, viewer._id, updated);

  if (changes.tagList !== undefined) {
    await adjustTagCounts(
      changes.tagList.filter((tag) => !article.tagList.includes(tag)),
      article.tagList.filter((tag) => !changes.tagList!.includes(tag)),
    );
  }
  return updated;
}
