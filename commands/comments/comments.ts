import type { Types } from 'mongoose';
import { ArticleModel } from '../../models/article';
import { CommentModel, type Comment } from '../../models/comment';
import { nextSequence } from '../../models/counter';
import { VoteModel } from '../../models/vote';
import { conflict, forbidden, notFound, validationFailed } from '../../lib/errors';
import type { Viewer } from '../users/viewer';
import type { StoredArticle } from '../articles/findArticle';
import { renderOffThread } from '../rendering/renderPool';
import { notify, notifyMentions } from '../notifications/notify';

export type StoredComment = Comment & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

/** Steem's limit on reply depth. */
export const MAX_COMMENT_DEPTH = 255;

/**
 * Adds a comment, optionally as a reply to another comment on the same article. A comment is paid
 * like a post when its own window ends: `payoutAt` is its creation plus the payout window.
 */
export async function addComment(author: Types.ObjectId, article: StoredArticle, props: { body: string; parentId?: number; payoutAt: Date }): Promise<StoredComment> {
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
    payoutAt: props.payoutAt,
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

/** The comment with this integer id on this article. */
export async function findComment(article: Pick<StoredArticle, '_id'>, commentId: number): Promise<StoredComment> {
  const comment = await CommentModel.findOne({ id: commentId, article: article._id }, { appliedVoteOps: 0 }).lean<StoredComment>();
  if (!comment) throw notFound(`comment ${commentId} not found on this article`, 'comment');
  return comment;
}

/** steemd refuses to delete a post item with positive net rshares before its payout: an article, or a comment. */
export function hasPendingVotes(post: { paid?: boolean | null; payoutAt?: Date | null; netRshares?: string | null }, now: Date): boolean {
  return !post.paid && (post.payoutAt == null || post.payoutAt.getTime() > now.getTime()) && BigInt(post.netRshares ?? '0') > 0n;
}

/**
 * The comment's author or the article's author may delete it (its replies stay), but not while it
 * has positive votes and is unpaid (409, as for articles). Its vote records go with it. The delete is
 * guarded by the comment's vote sequence, so a vote landing in between makes it a 409 too.
 */
export async function deleteComment(viewer: Viewer, article: StoredArticle, commentId: number, now: Date): Promise<void> {
  const comment = await findComment(article, commentId);
  if (!comment.author.equals(viewer._id) && !article.author.equals(viewer._id)) {
    throw forbidden('only the comment author or the article author may delete this comment', 'comment');
  }
  const refused = () => conflict('a comment with positive votes cannot be deleted before its payout', 'comment');
  if (hasPendingVotes(comment, now)) throw refused();
  // A comment stored before comments earned has no vote sequence (and no votes).
  const unvoted = comment.voteSeq === undefined ? { voteSeq: { $exists: false } } : { voteSeq: comment.voteSeq };
  const { deletedCount } = await CommentModel.deleteOne({ _id: comment._id, ...unvoted });
  if (deletedCount === 0) {
    const still = await CommentModel.findById(comment._id, { paid: 1, payoutAt: 1, netRshares: 1 }).lean();
    if (still && hasPendingVotes(still, now)) throw refused();
    if (still) return deleteComment(viewer, article, commentId, now);
    return; // a concurrent delete already cleaned up
  }
  await Promise.all([ArticleModel.updateOne({ _id: article._id }, { $inc: { commentsCount: -1 } }), VoteModel.deleteMany({ article: comment._id })]);
}
