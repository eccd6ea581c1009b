import type { Types } from 'mongoose';
import { findArticleBySlug, type StoredArticle } from '../articles/findArticle';
import { mutedBy } from '../community/mutes';
import { followedAmong } from '../profiles/follows';
import { usersByIds, type UserCard } from '../users/usersByIds';
import type { Viewer } from '../users/viewer';
import { addComment, deleteComment, findComment, listComments, type StoredComment } from './comments';

/** A comment with its author (undefined when the account is gone) and whether the viewer follows them. */
export interface CommentView {
  comment: StoredComment;
  author: UserCard | undefined;
  following: boolean;
}

/** The comments with their authors, read together, as the viewer sees them. */
export async function withAuthors(comments: StoredComment[], viewer?: Types.ObjectId): Promise<CommentView[]> {
  const authorIds = comments.map((comment) => comment.author);
  const [authors, following] = await Promise.all([usersByIds(authorIds, 'card'), followedAmong(viewer, authorIds)]);
  return comments.map((comment) => ({ comment, author: authors.get(comment.author.toString()), following: following.has(comment.author.toString()) }));
}

/** A page of the comments on the article a slug names, oldest first, without those of authors the viewer muted. */
export async function articleComments(slug: string, viewer: Types.ObjectId | undefined, window: { offset: number; limit: number }): Promise<CommentView[]> {
  const article = await findArticleBySlug(slug);
  const hidden = await mutedBy(viewer);
  return withAuthors(await listComments(article, window, hidden), viewer);
}

/** Comments (or replies) on the article a slug names; the comment pays out `payoutWindowSeconds` after `now`. */
export async function commentOnArticle(
  author: Types.ObjectId,
  slug: string,
  comment: { body: string; parentId?: number | undefined },
  timing: { now: Date; payoutWindowSeconds: number },
): Promise<CommentView> {
  const article = await findArticleBySlug(slug);
  const { parentId, body } = comment;
  const payoutAt = new Date(timing.now.getTime() + timing.payoutWindowSeconds * 1000);
  const created = await addComment(author, article, { body, ...(parentId === undefined ? {} : { parentId }), payoutAt });
  return (await withAuthors([created], author))[0]!;
}

/** Deletes a comment on the article a slug names (its author or the article's author only); returns the article's id. */
export async function deleteArticleComment(viewer: Viewer, slug: string, commentId: number, now: Date): Promise<Types.ObjectId> {
  const article = await findArticleBySlug(slug);
  await deleteComment(viewer, article, commentId, now);
  return article._id;
}

/** The comment with this integer id on the article a slug names, and the article. */
export async function findArticleComment(slug: string, commentId: number): Promise<{ article: StoredArticle; comment: StoredComment }> {
  const article = await findArticleBySlug(slug);
  return { article, comment: await findComment(article, commentId) };
}
