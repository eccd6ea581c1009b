import { ArticleModel } from '../../models/article';
import { CommentModel } from '../../models/comment';
import { VoteModel } from '../../models/vote';
import { RevisionModel } from '../../models/revision';
import { BookmarkModel } from '../../models/bookmark';
import { conflict, forbidden } from '../../lib/errors';
import type { Viewer } from '../users/viewer';
import type { StoredArticle } from './findArticle';
import { adjustAuthorCount, adjustTagCounts } from './articleCounts';

/** Deletes an article with its comments, votes, revisions and bookmarks (author only). */
export async function deleteArticle(viewer: Viewer, article: StoredArticle, now: Date): Promise<void> {
  if (!article.author.equals(viewer._id)) throw forbidden('only the author may delete this article', 'article');
  // steemd refuses to delete a comment with positive net rshares before its payout.
  if (!article.paid && article.payoutAt.getTime() > now.getTime() && BigInt(article.netRshares ?? '0') > 0n) {
    throw conflict('an article with positive votes cannot be deleted before its payout', 'article');
  }
  // … nor an article one of whose comments has positive votes before its own payout (it would go with the article).
  if (await CommentModel.exists({ article: article._id, paid: false, payoutAt: { $gt: now }, rankRshares: { $gt: 0 } })) {
    throw conflict('an article with a comment with positive votes cannot be deleted before that comment’s payout', 'article');
  }
  const { deletedCount } = await ArticleModel.deleteOne({ _id: article._id });
  if (deletedCount === 0) return; // a concurrent delete already cleaned up
  const comments = await CommentModel.find({ article: article._id }, { _id: 1 }).lean();
  await Promise.all([
    CommentModel.deleteMany({ article: article._id }),
    VoteModel.deleteMany({ article: { $in: [article._id, ...comments.map((comment) => comment._id)] } }),
    RevisionModel.deleteMany({ article: article._id }),
    BookmarkModel.deleteMany({ article: article._id }),
  ]);
  await Promise.all([adjustTagCounts([], article.tagList), adjustAuthorCount(article.author, -1)]);
}
