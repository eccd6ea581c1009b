import Router from '@koa/router';
import { popularTags } from '../../commands/articles/articleCounts';

/** Tags in use, most used first (at most this many). */
export const MAX_TAGS_LISTED = 1000;

export function tagsRouter(): Router {
  const router = new Router({ prefix: '/api/tags' });
  router.get('/', async (ctx) => {
    ctx.body = { tags: await popularTags(MAX_TAGS_LISTED) };
  });
  return router;
}
