import Router from '@koa/router';
import { articleComments, commentOnArticle, deleteArticleComment } from '../../commands/comments/articleComments';
import type { Services } from '../../server/services';
import { authenticate, requireViewer, viewerOf, type AuthState } from '../middleware/auth';
import { validate } from '../middleware/validate';
import { presentCommentView } from '../presenters/comment';
import { articleParams, commentParams, commentsPageSchema, newCommentSchema } from './schema';
import { articleTag } from '../articles/readKeys';
import { articleContext } from '../presenters/articleContext';

export function commentsRouter(services: Services): Router<AuthState> {
  const router = new Router<AuthState>({ prefix: '/api/articles/:slug/comments' });
  router.use(authenticate(services));

  router.get('/', validate({ params: articleParams, query: commentsPageSchema }), async (ctx) => {
    const { params, query } = ctx.state.input;
    const [views, context] = await Promise.all([articleComments(params.slug, ctx.state.viewer?._id, query), articleContext(services, false)]);
    ctx.body = { comments: views.map((view) => presentCommentView(view, context)) };
  });

  router.post('/', requireViewer, validate({ params: articleParams, body: newCommentSchema }), async (ctx) => {
    const { params, body } = ctx.state.input;
    const now = services.clock.now();
    const created = await commentOnArticle(viewerOf(ctx)._id, params.slug, body.comment, { now, payoutWindowSeconds: services.policy.payoutWindowSeconds });
    services.readCache.invalidateTagged([articleTag(created.comment.article.toString())]);
    ctx.body = { comment: presentCommentView(created, await articleContext(services, false)) };
  });

  router.delete('/:id', requireViewer, validate({ params: commentParams }), async (ctx) => {
    const { slug, id } = ctx.state.input.params;
    const article = await deleteArticleComment(viewerOf(ctx), slug, id, services.clock.now());
    services.readCache.invalidateTagged([articleTag(article.toString())]);
    ctx.status = 204;
  });

  return router;
}
