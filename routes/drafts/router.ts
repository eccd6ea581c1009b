import Router from '@koa/router';
import { articleViews } from '../../commands/articles/articleViews';
import { createDraft, deleteDraft, findOwnDraft, listDrafts, publishDraft, updateDraft } from '../../commands/drafts/drafts';
import { conflict } from '../../lib/errors';
import { parseInput } from '../middleware/validate';
import type { Services } from '../../server/services';
import { authenticate, requireViewer, viewerOf, type AuthState } from '../middleware/auth';
import { draftBody, draftsPageSchema } from './schema';
import { presentArticle } from '../presenters/article';
import { articleContext } from '../presenters/articleContext';
import { presentDraft } from '../presenters/draft';

/** Server-side drafts (`/api/drafts`), publishing one now, or at `publishAt` via the scheduler. */
export function draftsRouter(services: Services): Router<AuthState> {
  const router = new Router<AuthState>({ prefix: '/api/drafts' });
  router.use(authenticate(services), requireViewer);

  router.get('/', async (ctx) => {
    const { drafts, draftsCount } = await listDrafts(viewerOf(ctx)._id, parseInput(draftsPageSchema, ctx.query));
    ctx.body = { drafts: drafts.map(presentDraft), draftsCount };
  });

  router.post('/', async (ctx) => {
    const { draft } = parseInput(draftBody, ctx.request.body);
    ctx.status = 201;
    ctx.body = { draft: presentDraft(await createDraft(viewerOf(ctx)._id, draft)) };
  });

  router.get('/:id', async (ctx) => {
    ctx.body = { draft: presentDraft(await findOwnDraft(viewerOf(ctx)._id, ctx.params.id!)) };
  });

  router.put('/:id', async (ctx) => {
    const { draft } = parseInput(draftBody, ctx.request.body);
    ctx.body = { draft: presentDraft(await updateDraft(viewerOf(ctx)._id, ctx.params.id!, draft)) };
  });

  router.delete('/:id', async (ctx) => {
    await deleteDraft(viewerOf(ctx)._id, ctx.params.id!);
    ctx.status = 204;
  });

  router.post('/:id/publish', async (ctx) => {
    const viewer = viewerOf(ctx);
    const draft = await findOwnDraft(viewer._id, ctx.params.id!);
    const article = await publishDraft(draft._id, services.clock.now(), { payoutWindowSeconds: services.policy.payoutWindowSeconds, expectedAuthor: viewer._id });
    if (!article) throw conflict('this draft is being published or was published already', 'draft');
    services.readCache.invalidate();
    const [view] = await articleViews([article], viewer._id);
    ctx.status = 201;
    ctx.body = { article: presentArticle(view!, await articleContext(services, true)) };
  });

  return router;
}
