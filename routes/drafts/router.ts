import Router from '@koa/router';
import { createDraft, deleteDraft, findOwnDraft, listDrafts, updateDraft } from '../../commands/drafts/drafts';
import { publishOwnDraft } from '../../commands/drafts/publishOwnDraft';
import type { Services } from '../../server/services';
import { authenticate, requireViewer, viewerOf, type AuthState } from '../middleware/auth';
import { validate } from '../middleware/validate';
import { presentArticle } from '../presenters/article';
import { articleContext } from '../presenters/articleContext';
import { presentDraft } from '../presenters/draft';
import { draftBody, draftParams, draftsPageSchema } from './schema';

/** Server-side drafts (`/api/drafts`), publishing one now, or at `publishAt` via the scheduler. */
export function draftsRouter(services: Services): Router<AuthState> {
  const router = new Router<AuthState>({ prefix: '/api/drafts' });
  router.use(authenticate(services), requireViewer);
  const byId = validate({ params: draftParams });

  router.get('/', validate({ query: draftsPageSchema }), async (ctx) => {
    const { drafts, draftsCount } = await listDrafts(viewerOf(ctx)._id, ctx.state.input.query);
    ctx.body = { drafts: drafts.map(presentDraft), draftsCount };
  });

  router.post('/', validate({ body: draftBody }), async (ctx) => {
    const created = await createDraft(viewerOf(ctx)._id, ctx.state.input.body.draft);
    ctx.status = 201;
    ctx.body = { draft: presentDraft(created) };
  });

  router.get('/:id', byId, async (ctx) => {
    ctx.body = { draft: presentDraft(await findOwnDraft(viewerOf(ctx)._id, ctx.state.input.params.id)) };
  });

  router.put('/:id', validate({ params: draftParams, body: draftBody }), async (ctx) => {
    const { params, body } = ctx.state.input;
    ctx.body = { draft: presentDraft(await updateDraft(viewerOf(ctx)._id, params.id, body.draft)) };
  });

  router.delete('/:id', byId, async (ctx) => {
    await deleteDraft(viewerOf(ctx)._id, ctx.state.input.params.id);
    ctx.status = 204;
  });

  router.post('/:id/publish', byId, async (ctx) => {
    const view = await publishOwnDraft(viewerOf(ctx)._id, ctx.state.input.params.id, { now: services.clock.now(), payoutWindowSeconds: services.policy.payoutWindowSeconds });
    services.readCache.invalidate();
    ctx.status = 201;
    ctx.body = { article: presentArticle(view, await articleContext(services, true)) };
  });

  return router;
}
