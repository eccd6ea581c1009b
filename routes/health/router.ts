import Router from '@koa/router';
import type { Readiness } from '../../lib/readiness';

/** Liveness (the process answers) and readiness (its dependencies answer). */
export function healthRouter(readiness: Readiness): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const { ready, checks } = await readiness.evaluate();
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'degraded', checks };
  });
  return router;
}
