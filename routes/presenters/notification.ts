import type { ListedNotification } from '../../commands/notifications/notificationList';

export function presentNotification(notification: ListedNotification) {
  return { ...notification, createdAt: notification.createdAt.toISOString() };
}
