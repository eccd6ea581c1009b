import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { ZodError } from 'zod';
import { articlePage, homePage, profilePage, tagPage } from '../../commands/site/pages';
import { searchArticles } from '../../commands/site/searchArticles';
import { AppError, httpStatusOf } from '../../lib/errors';
import type { TaggedAnswer } from '../../server/readCache';
import type { Services } from '../../server/services';
import * as views from '../../views/pages';
import { articlePath, profilePath } from '../../views/paths';
import { validate } from '../middleware/validate';
import { presentArticle } from '../presenters/article';
import { articleContext } from '../presenters/articleContext';
import { presentCommentRewards } from '../presenters/comment';
import { presentProfile } from '../presenters/profile';
import { HTML, Moved, newest, pageAnswer, PAGE_CSP, sendAnswer, tagged } from './answer';
import { siteReadKey } from './readKeys';
import { commentsTag } from '../articles/readKeys';
import { pageQuerySchema, pagesOf, searchQuerySchema, windowOf } from './schema';

/** Tags and usernames as the API accepts them; anything else cannot name a page. */
const TAG = /^[a-z0-9-]{1,32}$/i;
const USERNAME = /^[A-Za-z0-9_-]{1,32}$/;

/** The origin pages name in their links: PUBLIC_URL, else the one the request was made to (then part of the cache key). */
export function siteOrigin(services: Services, ctx: Pick<Context, 'protocol' | 'host'>): string {
  return services.config.site.publicUrl ?? requestOrigin(ctx);
}

/** Scheme and host the request was made to (Koa's own `origin` getter is not usable here: koa 3 leaves it null). */
export function requestOrigin(ctx: Pick<Context, 'protocol' | 'host'>): string {
  return `${ctx.protocol}://${ctx.host}`;
}

/**
 * Answers through the read cache (anonymous GETs; the key is `siteReadKey`'s, so a repeated read is
 * answered before routing and any write's invalidation covers the pages), or computes it for a request
 * with credentials. A `Moved` page is answered 301 and never cached.
 */
export function cachedAnswer(services: Services) {
  return async (ctx: Context, compute: () => Promise<TaggedAnswer>): Promise<void> => {
    const key = ctx.get('Authorization') ? undefined : siteReadKey(ctx.path, ctx.query, () => siteOrigin(services, ctx));
    try {
      sendAnswer(ctx, key === undefined ? await compute() : await services.readCache.readAnswer(key, compute));
    } catch (error) {
      if (!(error instanceof Moved)) throw error;
      ctx.redirect(error.location);
      ctx.status = 301;
    }
  };
}

/** Bad addresses and unknown names answer an HTML page with the status (the API's errors stay JSON). */
export function htmlErrors(services: Services): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      let message: string;
      if (error instanceof ZodError) {
        ctx.status = 422;
        message = error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`.trim()).join('; ');
      } else if (error instanceof AppError && ['not_found', 'validation', 'bad_request'].includes(error.kind)) {
        ctx.status = httpStatusOf[error.kind];
        message = ctx.status === 404 ? 'There is no page at this address.' : error.message;
      } else {
        throw error;
      }
      ctx.type = HTML;
      ctx.set('Content-Security-Policy', PAGE_CSP);
      ctx.body = views.errorPage(siteOrigin(services, ctx), ctx.status, message);
    }
  };
}

export function notFoundUnless(ok: boolean): void {
  if (!ok) throw new AppError('not_found', { body: ['page not found'] });
}

/** The server-rendered pages: validate → one command → presenters → view, cached for anonymous readers. */
export function pagesRouter(services: Services): Router {
  const router = new Router();
  services.readCache.addKeyFunction((path, query, origin) => siteReadKey(path, query, () => services.config.site.publicUrl ?? origin()));
  const answer = cachedAnswer(services);
  router.use(htmlErrors(services));

  router.get('/', validate({ query: pageQuerySchema }), async (ctx) => {
    const { page } = ctx.state.input.query;
    await answer(ctx, async () => {
      const [data, context] = await Promise.all([homePage(windowOf(page), services.clock.now()), articleContext(services, false)]);
      const present = (list: typeof data.trending) => list.map((view) => presentArticle(view, context));
      const newestArticles = present(data.newest.views);
      const html = views.homePage(siteOrigin(services, ctx), { page, pages: pagesOf(data.newest.count), trending: present(data.trending), newest: newestArticles, tags: data.tags });
      const shown = [...data.trending, ...data.newest.views];
      return tagged(pageAnswer(html, HTML, newest(shown.map((view) => view.article.updatedAt))), shown, 'lists', 'ranked-lists');
    });
  });

  router.get('/search', validate({ query: searchQuerySchema }), async (ctx) => {
    const { q, page } = ctx.state.input.query;
    await answer(ctx, async () => {
      const [found, context] = await Promise.all([searchArticles({ q, ...windowOf(page) }), articleContext(services, false)]);
      const articles = found.views.map((view) => presentArticle(view, context));
      return tagged(pageAnswer(views.searchPage(siteOrigin(services, ctx), { q, page, pages: pagesOf(found.count), articles, count: found.count }), HTML), found.views, 'lists');
    });
  });

  router.get('/t/:tag', validate({ query: pageQuerySchema }), async (ctx) => {
    const tag = ctx.params.tag!;
    notFoundUnless(TAG.test(tag));
    const { page } = ctx.state.input.query;
    await answer(ctx, async () => {
      if (tag !== tag.toLowerCase()) throw new Moved(`/t/${tag.toLowerCase()}`);
      const [found, context] = await Promise.all([tagPage(tag, windowOf(page)), articleContext(services, false)]);
      const articles = found.views.map((view) => presentArticle(view, context));
      const html = views.tagPage(siteOrigin(services, ctx), { tag, page, pages: pagesOf(found.count), articles, count: found.count });
      return tagged(pageAnswer(html, HTML, newest(found.views.map((view) => view.article.updatedAt))), found.views, 'lists');
    });
  });

  router.get('/@:username', validate({ query: pageQuerySchema }), async (ctx) => {
    const username = ctx.params.username!;
    notFoundUnless(USERNAME.test(username));
    const { page } = ctx.state.input.query;
    await answer(ctx, async () => {
      const [data, context] = await Promise.all([profilePage(username, windowOf(page)), articleContext(services, false)]);
      if (data.user.username !== username) throw new Moved(profilePath(data.user.username));
      const profile = presentProfile(data.user, false);
      const html = views.profilePage(siteOrigin(services, ctx), {
        username: profile.username,
        bio: profile.bio,
        reputationScore: profile.reputationScore,
        badges: data.badges.map((badge) => ({ title: badge.title, description: badge.description, awardedAt: badge.awardedAt.toISOString() })),
        articles: data.articles.views.map((view) => presentArticle(view, context)),
        articlesCount: data.articles.count,
        page,
        pages: pagesOf(data.articles.count),
      });
      return tagged(pageAnswer(html, HTML, newest(data.articles.views.map((view) => view.article.updatedAt))), data.articles.views, 'lists');
    });
  });

  router.get('/@:username/:slug', async (ctx) => {
    const { username, slug } = ctx.params as { username: string; slug: string };
    notFoundUnless(USERNAME.test(username));
    await answer(ctx, async () => {
      const [data, context] = await Promise.all([articlePage(username, slug), articleContext(services, true)]);
      if (data.kind === 'moved') throw new Moved(articlePath(data.username, data.slug));
      const comments = data.comments.map(({ comment, author }) => {
        // Comments earn like posts: each shows its upvotes and its pending or settled payout, as the API does.
        const { upvotes, payout, pendingPayout } = presentCommentRewards(comment, context);
        return { id: comment.id, parentId: comment.parentId ?? null, createdAt: comment.createdAt.toISOString(), bodyHtml: comment.bodyHtml, author: author.username, upvotes, payout, pendingPayout };
      });
      const html = views.articlePage(siteOrigin(services, ctx), presentArticle(data.view, context), comments);
      const lastModified = newest([data.view.article.updatedAt, ...data.comments.map(({ comment }) => comment.updatedAt)]);
      return tagged(pageAnswer(html, HTML, lastModified), [data.view], commentsTag(data.view.article._id.toString()));
    });
  });

  return router;
}
