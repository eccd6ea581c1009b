import Router from '@koa/router';
import { bookmarkViews, setBookmark } from '../../commands/bookmarks/bookmarksBySlug';
import type { Services } from '../../server/services';
import { authenticate, requireViewer, viewerOf, type AuthState } from '../middleware/auth';
import { validate } from '../middleware/validate';
import { presentArticle } from '../presenters/article';
import { articleContext } from '../presenters/articleContext';
import { articleParams, bookmarksPageSchema } from './schema';

export function bookmarksRouter(services: Services): Router<AuthState> {
  const router = new Router<AuthState>({ prefix: '/api' });
  router.use(authenticate(services));

  router.get('/user/bookmarks', requireViewer, validate({ query: bookmarksPageSchema }), async (ctx) => {
    const [page, context] = await Promise.all([bookmarkViews(viewerOf(ctx)._id, ctx.state.input.query), articleContext(services, false)]);
    ctx.body = { articles: page.views.map((view) => ({ ...presentArticle(view, context), bookmarked: true })), articlesCount: page.articlesCount };
  });

  for (const [method, bookmarked] of [['post', true], ['delete', false]] as const) {
    router[method]('/articles/:slug/bookmark', requireViewer, validate({ params: articleParams }), async (ctx) => {
      const slug = await setBookmark(viewerOf(ctx)._id, ctx.state.input.params.slug, bookmarked);
      ctx.body = { bookmark: { slug, bookmarked } };
    });
  }

  return router;
}
