import Router from '@koa/router';
import { articleRevisions } from '../../commands/revisions/articleRevisions';
import { validate } from '../middleware/validate';
import { presentRevision } from '../presenters/revision';
import { articleParams, revisionsPageSchema } from './schema';

/**
 * GET /api/articles/:slug/revisions?limit=&offset=: a page of revisions (oldest first; limit 1–100,
 * default 20), each with its stored unified diff against the one before; `revisionsCount` is the total.
 */
export function revisionsRouter(): Router {
  const router = new Router({ prefix: '/api/articles/:slug/revisions' });
  router.get('/', validate({ params: articleParams, query: revisionsPageSchema }), async (ctx) => {
    const { params, query } = ctx.state.input;
    const { revisions, total } = await articleRevisions(params.slug, query);
    ctx.body = { revisions: revisions.map(presentRevision), revisionsCount: total };
  });
  return router;
}
