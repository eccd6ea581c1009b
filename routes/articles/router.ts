import Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import { feedArticleViews, listArticleViews, viewArticleBySlug } from '../../commands/articles/articlePages';
import { deleteArticleBySlug, setReblog, updateArticleBySlug, writeArticle } from '../../commands/articles/articlesBySlug';
import type { ArticleView } from '../../commands/articles/articleViews';
import { setFavorite } from '../../commands/votes/setFavorite';
import type { Services } from '../../server/services';
import { authenticate, requireViewer, viewerOf, type AuthState } from '../middleware/auth';
import { validate } from '../middleware/validate';
import { presentArticle, presentArticlePage } from '../presenters/article';
import { articleContext } from '../presenters/articleContext';
import { articleKey, articleListKey, articleReadKey, articleTag, feedKey, feedReadKey, feedTags, listTags } from './readKeys';
import { votePatch } from './votePatch';
import { mutesAnyone, readerMarks } from '../../commands/articles/readerMarks';
import { answerForViewer, slottedAnswer, type SlottedAnswer } from '../presenters/viewerSlots';
import { articleParams, createArticleSchema, feedQuerySchema, listQuerySchema, updateArticleSchema } from './schema';

export function articlesRouter(services: Services): Router<AuthState> {
  const router = new Router<AuthState>({ prefix: '/api/articles' });
  router.use(authenticate(services));

  const presentOne = async (view: ArticleView) => ({ article: presentArticle(view, await articleContext(services, true)) });
  /**
   * Reads are answered from the read cache under the key the validated request gives (`readKeys.ts`;
   * registered so a repeated anonymous read is answered before routing). What every reader sees is
   * computed once; a signed-in reader's answer is that answer with their own favorites and follows
   * written in, looked up for the whole page at once (`readerMarks`). Writes below invalidate what they
   * change (README, "Caching").
   */
  services.readCache.addKeyFunction(articleReadKey);
  services.readCache.addReaderKeyFunction(feedReadKey);
  const sharedRead = async (ctx: ParameterizedContext<AuthState>, key: string, compute: () => Promise<{ answer: SlottedAnswer; tags: string[] }>) => {
    const shared = await services.readCache.readShared(key, compute);
    const viewer = ctx.state.viewer?._id;
    ctx.type = 'application/json';
    ctx.body = viewer ? answerForViewer(shared, await readerMarks(viewer, shared.articles)) : shared.body;
  };
  const refOf = (view: ArticleView) => ({ id: view.article._id.toString(), author: view.article.author.toString(), voteSeq: view.article.voteSeq });

  router.get('/', validate({ query: listQuerySchema }), async (ctx) => {
    const { query } = ctx.state.input;
    const viewer = ctx.state.viewer?._id;
    // A reader who mutes someone sees lists of their own.
    if (viewer && (await mutesAnyone(viewer))) {
      const [page, context] = await Promise.all([listArticleViews({ ...query, now: services.clock.now(), viewer }), articleContext(services, false)]);
      ctx.body = presentArticlePage(page, context);
      return;
    }
    await sharedRead(ctx, articleListKey(query), async () => {
      const [page, context] = await Promise.all([listArticleViews({ ...query, now: services.clock.now() }), articleContext(services, false)]);
      const presented = presentArticlePage(page, context);
      const refs = page.views.map(refOf);
      return { answer: slottedAnswer(presented, presented.articles, refs, 'list'), tags: [...listTags(query), ...refs.map((ref) => articleTag(ref.id))] };
    });
  });

  // A reader's feed is theirs alone but read again and again: kept like the shared lists, under a key of its own.
  router.get('/feed', requireViewer, validate({ query: feedQuerySchema }), async (ctx) => {
    const reader = viewerOf(ctx)._id;
    const window = ctx.state.input.query;
    await sharedRead(ctx, feedKey(reader, window), async () => {
      const [page, context] = await Promise.all([feedArticleViews(reader, window), articleContext(services, false)]);
      const presented = presentArticlePage(page, context);
      const refs = page.views.map(refOf);
      return { answer: slottedAnswer(presented, presented.articles, refs), tags: [...feedTags(reader), ...refs.map((ref) => articleTag(ref.id))] };
    });
  });

  router.post('/', requireViewer, validate({ body: createArticleSchema }), async (ctx) => {
    const created = await writeArticle(viewerOf(ctx)._id, ctx.state.input.body.article, { now: services.clock.now(), policy: services.policy });
    services.readCache.invalidate();
    ctx.status = 201;
    ctx.body = await presentOne(created);
  });

  router.get('/:slug', validate({ params: articleParams }), async (ctx) => {
    const { slug } = ctx.state.input.params;
    await sharedRead(ctx, articleKey(slug), async () => {
      const [view, context] = await Promise.all([viewArticleBySlug(slug), articleContext(services, true)]);
      const presented = presentArticle(view, context);
      const ref = refOf(view);
      return { answer: slottedAnswer({ article: presented }, [presented], [ref], 'one'), tags: [articleTag(ref.id)] };
    });
  });

  router.put('/:slug', requireViewer, validate({ params: articleParams, body: updateArticleSchema }), async (ctx) => {
    const { params, body } = ctx.state.input;
    const updated = await updateArticleBySlug(viewerOf(ctx), params.slug, body.article);
    services.readCache.invalidate();
    ctx.body = await presentOne(updated);
  });

  router.delete('/:slug', requireViewer, validate({ params: articleParams }), async (ctx) => {
    await deleteArticleBySlug(viewerOf(ctx), ctx.state.input.params.slug, services.clock.now());
    services.readCache.invalidate();
    ctx.status = 204;
  });

  /** RealWorld favorites: always the state asked for; whether it is a vote, Steem's rules decide (`setFavorite`). */
  for (const [method, favorite] of [['post', true], ['delete', false]] as const) {
    router[method]('/:slug/favorite', requireViewer, services.rateLimits.votes, validate({ params: articleParams }), async (ctx) => {
      const asked = { voter: viewerOf(ctx)._id, slug: ctx.state.input.params.slug, favorite, now: services.clock.now(), policy: services.policy };
      const { view, context } = await services.readCache.writingArticle(
        async () => ({ ...(await setFavorite(asked)), context: await articleContext(services, true) }),
        ({ changed, view, context }) => (changed ? votePatch(view, context) : undefined),
      );
      services.readCache.readers.forget(viewerOf(ctx)._id.toString());
      ctx.body = { article: presentArticle(view, context) };
    });
  }

  for (const [method, reblogged] of [['post', true], ['delete', false]] as const) {
    router[method]('/:slug/reblog', requireViewer, validate({ params: articleParams }), async (ctx) => {
      const slug = await setReblog(viewerOf(ctx)._id, ctx.state.input.params.slug, reblogged);
      services.readCache.invalidateTagged(['reblogs']);
      ctx.body = { reblog: { slug, reblogged } };
    });
  }

  return router;
}
