import Router from '@koa/router';
import { renderOffThread } from '../../commands/rendering/renderPool';
import { validate } from '../middleware/validate';
import type { Services } from '../../server/services';
import { previewSchema } from './schema';

/** The editor's live preview: the same renderer articles are stored with. Anonymous, so limited per IP. */
export function previewRouter(services: Services): Router {
  const router = new Router({ prefix: '/api/preview' });
  router.post('/', services.rateLimits.preview, validate({ body: previewSchema }), async (ctx) => {
    ctx.body = { html: (await renderOffThread(ctx.state.input.body.body)).html };
  });
  return router;
}
