import type { Types } from 'mongoose';
import { ArticleModel } from '../../models/article';
import { NotificationModel, type NotificationType } from '../../models/notification';
import { mutedBy } from '../community/mutes';
import { usernamesByIds } from '../users/usersByIds';
import { isUnread, markNotificationsRead, readCursorOf, unreadFilter } from './readCursor';

/** A notification as its recipient's list shows it; `actor` and `article` are null when absent or gone. */
export interface ListedNotification {
  id: string;
  type: NotificationType;
  actor: string | null;
  article: { slug: string; title: string } | null;
  commentId: number | null;
  data: Record<string, unknown>;
  read: boolean;
  createdAt: Date;
}

function withoutMuted(filter: Record<string, unknown>, muted: Types.ObjectId[]): Record<string, unknown> {
  return muted.length > 0 ? { $and: [filter, { actor: { $nin: muted } }] } : filter;
}

/** The recipient's notifications, newest first, without those of users they muted, and how many there are. */
export async function listNotifications(recipient: Types.ObjectId, window: { offset: number; limit: number }): Promise<{ notifications: ListedNotification[]; total: number }> {
  const [muted, cursor] = await Promise.all([mutedBy(recipient), readCursorOf(recipient)]);
  const filter = withoutMuted({ recipient }, muted);
  const [notifications, total] = await Promise.all([
    NotificationModel.find(filter).sort({ createdAt: -1, _id: -1 }).skip(window.offset).limit(window.limit).lean(),
    NotificationModel.countDocuments(filter),
  ]);
  const [actorNames, articles] = await Promise.all([
    usernamesByIds(notifications.map((n) => n.actor)),
    ArticleModel.find({ _id: { $in: notifications.map((n) => n.article).filter(Boolean) } }, { slug: 1, title: 1 }).lean(),
  ]);
  const articleInfo = new Map(articles.map((a) => [a._id.toString(), { slug: a.slug, title: a.title }]));
  return {
    notifications: notifications.map((n) => ({
      id: n._id.toString(),
      type: n.type,
      actor: n.actor ? (actorNames.get(n.actor.toString()) ?? null) : null,
      article: n.article ? (articleInfo.get(n.article.toString()) ?? null) : null,
      commentId: n.commentId ?? null,
      data: (n.data as Record<string, unknown> | null | undefined) ?? {},
      // Read or not is the cursor's verdict on each notification of the page (as `unreadFilter` decides it), not another query.
      read: !isUnread(n, cursor),
      createdAt: n.createdAt,
    })),
    total,
  };
}

/** How many of the recipient's notifications (from users they did not mute) are after the read cursor. */
export async function unreadCount(recipient: Types.ObjectId): Promise<number> {
  const [muted, cursor] = await Promise.all([mutedBy(recipient), readCursorOf(recipient)]);
  return NotificationModel.countDocuments(withoutMuted(unreadFilter(recipient, cursor), muted));
}

/** Moves the read cursor (forward only) and returns where it stands and how many remain unread. */
export async function markRead(recipient: Types.ObjectId, until: { id?: string; time?: Date }): Promise<{ readUntil: Date | null; unreadCount: number }> {
  const cursor = await markNotificationsRead(recipient, until);
  const muted = await mutedBy(recipient);
  return { readUntil: cursor.at, unreadCount: await NotificationModel.countDocuments(withoutMuted(unreadFilter(recipient, cursor), muted)) };
}
