import Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import { articleView, articleViews } from '../../commands/articles/articleViews';
import { createArticle } from '../../commands/articles/createArticle';
import { deleteArticle } from '../../commands/articles/deleteArticle';
import { findArticleBySlug } from '../../commands/articles/findArticle';
import { feedArticles, listArticles, type ArticlePage } from '../../commands/articles/listArticles';
import { updateArticle } from '../../commands/articles/updateArticle';
import { castFavorite } from '../../commands/votes/castVote';
import { checkPayoutOptions } from '../../commands/articles/payoutOptions';
import { articleContext } from '../presenters/articleContext';
import { mutedBy } from '../../commands/community/mutes';
import { reblogArticle, undoReblog } from '../../commands/community/reblogs';
import { UserModel } from '../../models/user';
import { parseInput } from '../middleware/validate';
import type { Services } from '../../server/services';
import { authenticate, requireViewer, viewerOf, type AuthState } from '../middleware/auth';
import { presentArticle } from '../presenters/article';
import { articleKey, articleListKey, articleReadKey, articleTag, listTags, voteTags } from './readKeys';
import { mutesAnyone, readerMarks } from '../../commands/articles/readerMarks';
import { answerForViewer, slottedAnswer, type SlottedAnswer } from '../presenters/viewerSlots';
import type { Types } from 'mongoose';
import { createArticleSchema, feedQuerySchema, listQuerySchema, updateArticleSchema } from './schema';

export function articlesRouter(services: Services): Router<AuthState> {
  const router = new Router<AuthState>({ prefix: '/api/articles' });
  router.use(authenticate(services));

  const presentOne = async (ctx: ParameterizedContext<AuthState>, slug: string) => {
    const [view, context] = await Promise.all([
      findArticleBySlug(slug).then((article) => articleView(article, ctx.state.viewer?._id)),
      articleContext(services, true),
    ]);
    return { article: presentArticle(view, context) };
  };
  const presentPage = async (viewer: Types.ObjectId | undefined, page: ArticlePage) => {
    const [views, context] = await Promise.all([articleViews(page.articles, viewer), articleContext(services, false)]);
    const rebloggers = page.rebloggedBy?.size
      ? new Map((await UserModel.find({ _id: { $in: [...page.rebloggedBy.values()] } }, { username: 1 }).lean()).map((u) => [u._id.toString(), u.username]))
      : undefined;
    return {
      articles: views.map((view) => {
        const reblogger = page.rebloggedBy?.get(view.article._id.toString());
        const presented = presentArticle(view, context);
        return reblogger && rebloggers ? { ...presented, rebloggedBy: rebloggers.get(reblogger.toString()) ?? null } : presented;
      }),
      articlesCount: page.articlesCount,
    };
  };
  /**
   * Reads are answered from the read cache under the key the validated request gives (`readKeys.ts`;
   * registered so a repeated anonymous read is answered before routing). What every reader sees is
   * computed once; a signed-in reader's answer is that answer with their own favorites and follows
   * written in, looked up for the whole page at once (`readerMarks`). Writes below invalidate what they
   * change (README, "Caching").
   */
  services.readCache.addKeyFunction(articleReadKey);
  const sharedRead = async (ctx: ParameterizedContext<AuthState>, key: string, compute: () => Promise<{ answer: SlottedAnswer; tags: string[] }>) => {
    const shared = await services.readCache.readShared(key, compute);
    const viewer = ctx.state.viewer?._id;
    ctx.type = 'application/json';
    ctx.body = viewer ? answerForViewer(shared, await readerMarks(viewer, shared.articles)) : shared.body;
  };
  const sharedPage = (page: ArticlePage, tags: string[]) => async () => {
    const presented = await presentPage(undefined, page);
    const refs = page.articles.map((article) => ({ id: article._id.toString(), author: article.author.toString() }));
    return { answer: slottedAnswer(presented, presented.articles, refs), tags: [...tags, ...refs.map((ref) => articleTag(ref.id))] };
  };

  router.get('/', async (ctx) => {
    const query = parseInput(listQuerySchema, ctx.query);
    const viewer = ctx.state.viewer?._id;
    // A reader who mutes someone sees a list of their own.
    if (viewer && (await mutesAnyone(viewer))) {
      ctx.body = await presentPage(viewer, await listArticles({ ...query, now: services.clock.now(), hiddenAuthors: await mutedBy(viewer) }));
      return;
    }
    await sharedRead(ctx, articleListKey(query), async () => sharedPage(await listArticles({ ...query, now: services.clock.now(), hiddenAuthors: [] }), listTags(query))());
  });

  router.get('/feed', requireViewer, async (ctx) => {
    const query = parseInput(feedQuerySchema, ctx.query);
    const viewer = viewerOf(ctx)._id;
    ctx.body = await presentPage(viewer, await feedArticles(viewer, { ...query, hiddenAuthors: await mutedBy(viewer) }));
  });

  router.post('/', requireViewer, async (ctx) => {
    const { article } = parseInput(createArticleSchema, ctx.request.body);
    checkPayoutOptions(article, services.policy);
    const payoutAt = new Date(services.clock.now().getTime() + services.policy.payoutWindowSeconds * 1000);
    const created = await createArticle(viewerOf(ctx)._id, article, { payoutAt });
    services.readCache.invalidate();
    ctx.status = 201;
    ctx.body = await presentOne(ctx, created.slug);
  });

  router.get('/:slug', async (ctx) => {
    await sharedRead(ctx, articleKey(ctx.params.slug!), async () => {
      const [view, context] = await Promise.all([findArticleBySlug(ctx.params.slug!).then((article) => articleView(article)), articleContext(services, true)]);
      const presented = presentArticle(view, context);
      const ref = { id: view.article._id.toString(), author: view.article.author.toString() };
      return { answer: slottedAnswer({ article: presented }, [presented], [ref]), tags: [articleTag(ref.id)] };
    });
  });

  router.put('/:slug', requireViewer, async (ctx) => {
    const { article: changes } = parseInput(updateArticleSchema, ctx.request.body);
    const updated = await updateArticle(viewerOf(ctx), await findArticleBySlug(ctx.params.slug!), changes);
    services.readCache.invalidate();
    ctx.body = await presentOne(ctx, updated.slug);
  });

  router.delete('/:slug', requireViewer, async (ctx) => {
    await deleteArticle(viewerOf(ctx), await findArticleBySlug(ctx.params.slug!), services.clock.now());
    services.readCache.invalidate();
    ctx.status = 204;
  });

  /**
   * RealWorld favorites always succeed with the state asked for; their vote follows Steem's rules.
   * The batch decides: a favorite is a 10000 bp upvote and an unfavorite sets it to 0 when the rules
   * allow it; otherwise (too soon, changes used up, after payout, no mana, votes not allowed) the
   * favorite is recorded without a vote, and the article's `favoriteVote` says which and why. Asking
   * for the state the favorite is already in changes nothing.
   */
  const setFavorite = async (ctx: ParameterizedContext<AuthState>, favorite: boolean) => {
    const article = await findArticleBySlug(ctx.params.slug!);
    const outcome = await castFavorite({ voter: viewerOf(ctx)._id, article: article._id, author: article.author, favorite, now: services.clock.now(), policy: services.policy });
    if (!outcome.unchanged) services.readCache.invalidateTagged(voteTags(article._id));
    ctx.body = await presentOne(ctx, article.slug);
  };
  router.post('/:slug/favorite', requireViewer, services.rateLimits.votes, (ctx) => setFavorite(ctx, true));
  router.delete('/:slug/favorite', requireViewer, services.rateLimits.votes, (ctx) => setFavorite(ctx, false));

  router.post('/:slug/reblog', requireViewer, async (ctx) => {
    const article = await findArticleBySlug(ctx.params.slug!);
    await reblogArticle(viewerOf(ctx)._id, article);
    ctx.body = { reblog: { slug: article.slug, reblogged: true } };
  });

  router.delete('/:slug/reblog', requireViewer, async (ctx) => {
    const article = await findArticleBySlug(ctx.params.slug!);
    await undoReblog(viewerOf(ctx)._id, article);
    ctx.body = { reblog: { slug: article.slug, reblogged: false } };
  });

  return router;
}
