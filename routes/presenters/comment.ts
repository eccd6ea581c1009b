import type { CommentView } from '../../commands/comments/articleComments';
import type { StoredComment } from '../../commands/comments/comments';
import { presentProfile, type ProfileJson } from './profile';

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

const DELETED_AUTHOR = { username: '[deleted]', bio: '', image: '', steemAccount: null };

/** A comment with its author's profile as the viewer sees it; an author whose account is gone shows as `[deleted]`. */
export function presentCommentView({ comment, author, following }: CommentView) {
  return presentComment(comment, presentProfile(author ?? DELETED_AUTHOR, following));
}
