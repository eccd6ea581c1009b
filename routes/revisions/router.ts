import Router from '@koa/router';
import { findArticleBySlug } from '../../commands/articles/findArticle';
import { listRevisions } from '../../commands/revisions/revisions';
import { UserModel } from '../../models/user';
import { parseInput } from '../middleware/validate';
import { feedQuerySchema } from '../articles/schema';

/**
 * GET /api/articles/:slug/revisions?limit=&offset=: a page of revisions (oldest first; limit 1–100,
 * default 20), each with its stored unified diff against the one before; `revisionsCount` is the total.
 */
export function revisionsRouter(): Router {
  const router = new Router({ prefix: '/api/articles/:slug/revisions' });
  router.get('/', async (ctx) => {
    const page = parseInput(feedQuerySchema, ctx.query);
    const article = await findArticleBySlug(ctx.params.slug!);
    const { revisions, total } = await listRevisions(article._id, page);
    const editors = await UserModel.find({ _id: { $in: [...new Set(revisions.map((r) => r.editor.toString()))] } }, { username: 1 }).lean();
    const names = new Map(editors.map((e) => [e._id.toString(), e.username]));
    ctx.body = {
      revisions: revisions.map((revision) => ({
        number: revision.number,
        title: revision.title,
        description: revision.description,
        body: revision.body,
        tagList: revision.tagList,
        editor: names.get(revision.editor.toString()) ?? '[deleted]',
        createdAt: revision.createdAt.toISOString(),
        diff: revision.diff,
        diffTruncated: revision.diffTruncated,
      })),
      revisionsCount: total,
    };
  });
  return router;
}
