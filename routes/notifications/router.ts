import Router from '@koa/router';
import { listNotifications, markRead, unreadCount } from '../../commands/notifications/notificationList';
import type { Services } from '../../server/services';
import { authenticate, requireViewer, viewerOf, type AuthState } from '../middleware/auth';
import { validate } from '../middleware/validate';
import { presentNotification } from '../presenters/notification';
import { notificationsPageSchema, readSchema } from './schema';

/** Notifications: newest first, an unread count, and a server-side read cursor. */
export function notificationsRouter(services: Services): Router<AuthState> {
  const router = new Router<AuthState>({ prefix: '/api/notifications' });
  router.use(authenticate(services), requireViewer);

  router.get('/', validate({ query: notificationsPageSchema }), async (ctx) => {
    const { notifications, total } = await listNotifications(viewerOf(ctx)._id, ctx.state.input.query);
    ctx.body = { notifications: notifications.map(presentNotification), notificationsCount: total };
  });

  router.get('/unread-count', async (ctx) => {
    ctx.body = { unreadCount: await unreadCount(viewerOf(ctx)._id) };
  });

  router.post('/read', validate({ body: readSchema }), async (ctx) => {
    const { readUntil, unreadCount } = await markRead(viewerOf(ctx)._id, ctx.state.input.body.until);
    ctx.body = { readUntil: readUntil?.toISOString() ?? null, unreadCount };
  });

  return router;
}
