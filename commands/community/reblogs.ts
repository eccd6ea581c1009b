import type { Types } from 'mongoose';
import { ReblogModel } from '../../models/reblog';
import { validationFailed } from '../../lib/errors';
import { isDuplicateKeyError } from '../duplicateKey';
import { notify } from '../notifications/notify';
import type { StoredArticle } from '../articles/findArticle';

/** Reblogs an article into the user's followers' feeds (not one's own article; twice is a no-op). */
export async function reblogArticle(user: Types.ObjectId, article: StoredArticle): Promise<void> {
  if (article.author.equals(user)) throw validationFailed('you cannot reblog your own article', 'article');
  try {
    await ReblogModel.create({ user, article: article._id });
  } catch (error) {
    if (isDuplicateKeyError(error)) return;
    throw error;
  }
  await notify({ recipient: article.author, type: 'reblog', actor: user, article: article._id });
}

export async function undoReblog(user: Types.ObjectId, article: StoredArticle): Promise<void> {
  await ReblogModel.deleteOne({ user, article: article._id });
}
