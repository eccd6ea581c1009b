import Router from '@koa/router';
import type { Types } from 'mongoose';
import { findArticleBySlug } from '../../commands/articles/findArticle';
import { addComment, deleteComment, listComments, type StoredComment } from '../../commands/comments/comments';
import { followedAmong } from '../../commands/profiles/follows';
import { mutedBy } from '../../commands/community/mutes';
import { UserModel } from '../../models/user';
import { parseInput } from '../middleware/validate';
import { commentIdSchema, commentsPageSchema, newCommentSchema } from './schema';
import { articleTag } from '../articles/readKeys';
import type { Services } from '../../server/services';
import { authenticate, requireViewer, viewerOf, type AuthState } from '../middleware/auth';
import { presentComment } from '../presenters/comment';
import { presentProfile } from '../presenters/profile';
import type { ArticleAuthor } from '../../commands/articles/articleViews';

async function presentComments(comments: StoredComment[], viewer?: Types.ObjectId) {
  const authorIds = [...new Map(comments.map((c) => [c.author.toString(), c.author])).values()];
  const [authors, following] = await Promise.all([
    UserModel.find({ _id: { $in: authorIds } }, { username: 1, bio: 1, image: 1, steemAccount: 1 }).lean<ArticleAuthor[]>(),
    followedAmong(viewer, authorIds),
  ]);
  const byId = new Map(authors.map((a) => [a._id.toString(), a]));
  return comments.map((comment) => {
    const author = byId.get(comment.author.toString()) ?? { username: '[deleted]', bio: '', image: '', steemAccount: null };
    return presentComment(comment, presentProfile(author, following.has(comment.author.toString())));
  });
}

export function commentsRouter(services: Services): Router<AuthState> {
  const router = new Router<AuthState>({ prefix: '/api/articles/:slug/comments' });
  router.use(authenticate(services));

  router.get('/', async (ctx) => {
    const window = parseInput(commentsPageSchema, ctx.query);
    const article = await findArticleBySlug(ctx.params.slug!);
    const hidden = await mutedBy(ctx.state.viewer?._id);
    ctx.body = { comments: await presentComments(await listComments(article, window, hidden), ctx.state.viewer?._id) };
  });

  router.post('/', requireViewer, async (ctx) => {
    const { comment } = parseInput(newCommentSchema, ctx.request.body);
    const article = await findArticleBySlug(ctx.params.slug!);
    const created = await addComment(viewerOf(ctx)._id, article, comment);
    services.readCache.invalidateTagged([articleTag(article._id.toString())]);
    const [presented] = await presentComments([created], viewerOf(ctx)._id);
    ctx.body = { comment: presented };
  });

  router.delete('/:id', requireViewer, async (ctx) => {
    const id = parseInput(commentIdSchema, ctx.params.id);
    const article = await findArticleBySlug(ctx.params.slug!);
    await deleteComment(viewerOf(ctx), article, id);
    services.readCache.invalidateTagged([articleTag(article._id.toString())]);
    ctx.status = 204;
  });

  return router;
}
