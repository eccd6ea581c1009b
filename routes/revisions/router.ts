import Router from '@koa/router';
import { findArticleBySlug } from '../../commands/articles/findArticle';
import { diffAgainstPrevious, listRevisions } from '../../commands/revisions/revisions';
import { UserModel } from '../../models/user';

/** GET /api/articles/:slug/revisions: every revision with a unified diff against the one before. */
export function revisionsRouter(): Router {
  const router = new Router({ prefix: '/api/articles/:slug/revisions' });
  router.get('/', async (ctx) => {
    const article = await findArticleBySlug(ctx.params.slug!);
    const revisions = await listRevisions(article._id);
    const editors = await UserModel.find({ _id: { $in: [...new Set(revisions.map((r) => r.editor.toString()))] } }, { username: 1 }).lean();
    const names = new Map(editors.map((e) => [e._id.toString(), e.username]));
    ctx.body = {
      revisions: revisions.map((revision, i) => ({
        number: revision.number,
        title: revision.title,
        description: revision.description,
        body: revision.body,
        tagList: revision.tagList,
        editor: names.get(revision.editor.toString()) ?? '[deleted]',
        createdAt: revision.createdAt.toISOString(),
        diff: diffAgainstPrevious(revisions[i - 1], revision),
      })),
      revisionsCount: revisions.length,
    };
  });
  return router;
}
