import type { StoredComment } from '../../commands/comments/comments';
import type { ProfileJson } from './profile';

/** RealWorld's Comment (integer id) plus threading (`parentId`, `depth`) and rendered `bodyHtml`. */
export function presentComment(comment: StoredComment, author: ProfileJson) {
  return {
    id: comment.id,
    createdAt: comment.createdAt.toISOString(),
    updatedAt: comment.updatedAt.toISOString(),
    body: comment.body,
    bodyHtml: comment.bodyHtml,
    parentId: comment.parentId ?? null,
    depth: comment.depth,
    author,
  };
}
