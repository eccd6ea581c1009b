import type { Types } from 'mongoose';
import { ArticleModel } from '../../models/article';
import { CommentModel, type Comment } from '../../models/comment';
import { nextSequence } from '../../models/counter';
import { forbidden, notFound, validationFailed } from '../../lib/errors';
import type { Viewer } from '../users/viewer';
import type { StoredArticle } from '../articles/findArticle';
import { renderOffThread } from '../rendering/renderPool';
import { notify, notifyMentions } from '../notifications/notify';

export type StoredComment = Comment & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

/** Steem's limit on reply depth. */
export const MAX_COMMENT_DEPTH = 255;

/** Adds a comment, optionally as a reply to another comment on the same article. */
export async function addComment(author: Types.ObjectId, article: StoredArticle, props: { body: string; parentId?: number }): Promise<StoredComment> {
  let depth = 0;
  let repliedTo = article.author;
  if (props.parentId !== undefined) {
    const parent = await CommentModel.findOne({ id: props.parentId, article: article._id }, { depth: 1, author: 1 }).lean();
    if (!parent) throw validationFailed(`comment ${props.parentId} is not a comment on this article`, 'parentId');
    depth = parent.depth + 1;
    repliedTo = parent.author;
    if (depth > MAX_COMMENT_DEPTH) throw validationFailed(`replies may nest at most ${MAX_COMMENT_DEPTH} deep`, 'parentId');
  }
  const { html } = await renderOffThread(props.body);
  const id = await nextSequence('comments');
  const created = await CommentModel.create({
    id,
    article: article._id,
    author,
    body: props.body,
    bodyHtml: html,
    parentId: props.parentId ?? null,
    depth,
  });
  await ArticleModel.updateOne({ _id: article._id }, { $inc: { commentsCount: 1 } });
  await notify({ recipient: repliedTo, type: 'reply', actor: author, article: article._id, commentId: id });
  await notifyMentions(props.body, author, article._id, id);
  return created.toObject() as StoredComment;
}

/**
 * A page of the article's comments, oldest first, without those by authors the viewer muted: read
 * through `comments {article: 1, createdAt: 1}` in index order, so a page reads `offset + limit` at most.
 */
export async function listComments(article: StoredArticle, window: { offset: number; limit: number }, hiddenAuthors: Types.ObjectId[] = []): Promise<StoredComment[]> {
  const filter = hiddenAuthors.length > 0 ? { article: article._id, author: { $nin: hiddenAuthors } } : { article: article._id };
  return CommentModel.find(filter).sort({ createdAt: 1 }).skip(window.offset).limit(window.limit).lean<StoredComment[]>();
}

/** The comment's author or the article's author may delete it; its replies stay. */
export async function deleteComment(viewer: Viewer, article: StoredArticle, commentId: number): Promise<void> {
  const comment = await CommentModel.findOne({ id: commentId, article: article._id }).lean();
  if (!comment) throw notFound(`comment ${commentId} not found on this article`, 'comment');
  if (!comment.author.equals(viewer._id) && !article.author.equals(viewer._id)) {
    throw forbidden('only the comment author or the article author may delete this comment', 'comment');
  }
  const { deletedCount } = await CommentModel.deleteOne({ _id: comment._id });
  if (deletedCount > 0) await ArticleModel.updateOne({ _id: article._id }, { $inc: { commentsCount: -1 } });
}
