import { Types } from 'mongoose';
import { NotificationModel } from '../../models/notification';
import { UserModel } from '../../models/user';
import { notFound } from '../../lib/errors';

interface Cursor {
  at: Date | null;
  id: Types.ObjectId | null;
}

/** Later than every id: marks everything created at `at` as read. */
const AFTER_ALL_IDS = new Types.ObjectId('ffffffffffffffffffffffff');

/** Mongo filter for the recipient's notifications after the read cursor (createdAt, then _id). */
export function unreadFilter(recipient: Types.ObjectId, cursor: Cursor): Record<string, unknown> {
  if (!cursor.at) return { recipient };
  return {
    recipient,
    $or: [{ createdAt: { $gt: cursor.at } }, { createdAt: cursor.at, _id: { $gt: cursor.id ?? AFTER_ALL_IDS } }],
  };
}

/** What `unreadFilter` decides for one notification. */
export function isUnread(notification: { createdAt: Date; _id: Types.ObjectId }, cursor: Cursor): boolean {
  if (!cursor.at) return true;
  const at = notification.createdAt.getTime() - cursor.at.getTime();
  return at > 0 || (at === 0 && notification._id.toHexString() > (cursor.id ?? AFTER_ALL_IDS).toHexString());
}

export async function readCursorOf(userId: Types.ObjectId): Promise<Cursor> {
  const user = await UserModel.findById(userId, { notificationsReadAt: 1, notificationsReadId: 1 }).lean();
  return { at: user?.notificationsReadAt ?? null, id: user?.notificationsReadId ?? null };
}

/**
 * Moves the read cursor to a notification id or a time; it only moves forward. The cursor is one
 * field pair on the user written with a guarded update, so the unread count reflects it at once.
 */
export async function markNotificationsRead(userId: Types.ObjectId, until: { id?: string; time?: Date }): Promise<Cursor> {
  let target: Cursor;
  if (until.id !== undefined) {
    const notification = Types.ObjectId.isValid(until.id)
      ? await NotificationModel.findOne({ _id: until.id, recipient: userId }, { createdAt: 1 }).lean()
      : null;
    if (!notification) throw notFound(`notification ${until.id} not found`, 'until');
    target = { at: notification.createdAt, id: notification._id };
  } else {
    target = { at: until.time!, id: AFTER_ALL_IDS };
  }
  await UserModel.updateOne(
    {
      _id: userId,
      $or: [
        { notificationsReadAt: null },
        { notificationsReadAt: { $lt: target.at } },
        { notificationsReadAt: target.at, notificationsReadId: { $lt: target.id } },
      ],
    },
    { $set: { notificationsReadAt: target.at, notificationsReadId: target.id } },
  );
  return readCursorOf(userId);
}
