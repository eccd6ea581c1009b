import Router from '@koa/router';
import { articleViews } from '../../commands/articles/articleViews';
import { findArticleBySlug } from '../../commands/articles/findArticle';
import { addBookmark, bookmarkedArticles, removeBookmark } from '../../commands/bookmarks/bookmarks';
import { parseInput } from '../middleware/validate';
import type { Services } from '../../server/services';
import { feedQuerySchema } from '../articles/schema';
import { authenticate, requireViewer, viewerOf, type AuthState } from '../middleware/auth';
import { presentArticle } from '../presenters/article';
import { articleContext } from '../presenters/articleContext';

export function bookmarksRouter(services: Services): Router<AuthState> {
  const router = new Router<AuthState>({ prefix: '/api' });
  router.use(authenticate(services));

  router.get('/user/bookmarks', requireViewer, async (ctx) => {
    const window = parseInput(feedQuerySchema, ctx.query);
    const page = await bookmarkedArticles(viewerOf(ctx)._id, window);
    const [views, context] = await Promise.all([articleViews(page.articles, viewerOf(ctx)._id), articleContext(services, false)]);
    ctx.body = { articles: views.map((view) => ({ ...presentArticle(view, context), bookmarked: true })), articlesCount: page.articlesCount };
  });

  router.post('/articles/:slug/bookmark', requireViewer, async (ctx) => {
    const article = await findArticleBySlug(ctx.params.slug!);
    await addBookmark(viewerOf(ctx)._id, article._id);
    ctx.body = { bookmark: { slug: article.slug, bookmarked: true } };
  });

  router.delete('/articles/:slug/bookmark', requireViewer, async (ctx) => {
    const article = await findArticleBySlug(ctx.params.slug!);
    await removeBookmark(viewerOf(ctx)._id, article._id);
    ctx.body = { bookmark: { slug: article.slug, bookmarked: false } };
  });

  return router;
}
