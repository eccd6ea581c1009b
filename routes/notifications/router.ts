import Router from '@koa/router';
import type { Types } from 'mongoose';
import { mutedBy } from '../../commands/community/mutes';
import { isUnread, markNotificationsRead, readCursorOf, unreadFilter } from '../../commands/notifications/readCursor';
import { ArticleModel } from '../../models/article';
import { NotificationModel } from '../../models/notification';
import { UserModel } from '../../models/user';
import { parseInput } from '../middleware/validate';
import type { Services } from '../../server/services';
import { feedQuerySchema } from '../articles/schema';
import { readSchema } from './schema';
import { authenticate, requireViewer, viewerOf, type AuthState } from '../middleware/auth';

function withoutMuted(filter: Record<string, unknown>, muted: Types.ObjectId[]): Record<string, unknown> {
  return muted.length > 0 ? { $and: [filter, { actor: { $nin: muted } }] } : filter;
}

/** Notifications: newest first, an unread count, and a server-side read cursor. */
export function notificationsRouter(services: Services): Router<AuthState> {
  const router = new Router<AuthState>({ prefix: '/api/notifications' });
  router.use(authenticate(services), requireViewer);

  router.get('/', async (ctx) => {
    const window = parseInput(feedQuerySchema, ctx.query);
    const viewer = viewerOf(ctx)._id;
    const [muted, cursor] = await Promise.all([mutedBy(viewer), readCursorOf(viewer)]);
    const filter = withoutMuted({ recipient: viewer }, muted);
    const [notifications, total] = await Promise.all([
      NotificationModel.find(filter).sort({ createdAt: -1, _id: -1 }).skip(window.offset).limit(window.limit).lean(),
      NotificationModel.countDocuments(filter),
    ]);
    // Read or not is the cursor's verdict on each notification of the page (as `unreadFilter` decides it), not another query.
    const unread = new Set(notifications.filter((n) => isUnread(n, cursor)).map((n) => n._id.toString()));
    const [actors, articles] = await Promise.all([
      UserModel.find({ _id: { $in: notifications.map((n) => n.actor).filter(Boolean) } }, { username: 1 }).lean(),
      ArticleModel.find({ _id: { $in: notifications.map((n) => n.article).filter(Boolean) } }, { slug: 1, title: 1 }).lean(),
    ]);
    const actorNames = new Map(actors.map((a) => [a._id.toString(), a.username]));
    const articleInfo = new Map(articles.map((a) => [a._id.toString(), { slug: a.slug, title: a.title }]));
    ctx.body = {
      notifications: notifications.map((n) => ({
        id: n._id.toString(),
        type: n.type,
        actor: n.actor ? (actorNames.get(n.actor.toString()) ?? null) : null,
        article: n.article ? (articleInfo.get(n.article.toString()) ?? null) : null,
        commentId: n.commentId ?? null,
        data: n.data ?? {},
        read: !unread.has(n._id.toString()),
        createdAt: n.createdAt.toISOString(),
      })),
      notificationsCount: total,
    };
  });

  router.get('/unread-count', async (ctx) => {
    const viewer = viewerOf(ctx)._id;
    const [muted, cursor] = await Promise.all([mutedBy(viewer), readCursorOf(viewer)]);
    ctx.body = { unreadCount: await NotificationModel.countDocuments(withoutMuted(unreadFilter(viewer, cursor), muted)) };
  });

  router.post('/read', async (ctx) => {
    const { until } = parseInput(readSchema, ctx.request.body);
    const viewer = viewerOf(ctx)._id;
    const cursor = await markNotificationsRead(viewer, until);
    const muted = await mutedBy(viewer);
    ctx.body = {
      readUntil: cursor.at?.toISOString() ?? null,
      unreadCount: await NotificationModel.countDocuments(withoutMuted(unreadFilter(viewer, cursor), muted)),
    };
  });

  return router;
}
