import type { Types } from 'mongoose';
import { extractMentions } from '../../domain/articles/mentions';
import { isDelivered, isOwnAction } from '../../domain/notifications/rules';
import { MuteModel } from '../../models/mute';
import { NotificationModel, type NotificationType } from '../../models/notification';
import { UserModel } from '../../models/user';
import { isDuplicateKeyError } from '../duplicateKey';

export interface NotificationInput {
  recipient: Types.ObjectId;
  type: NotificationType;
  actor?: Types.ObjectId | null;
  article?: Types.ObjectId | null;
  commentId?: number | null;
  data?: Record<string, unknown>;
  dedupeKey?: string;
}

/**
 * Records a notification unless the delivery rules leave it out (the recipient's own action, or an
 * actor the recipient muted). With a dedupeKey it is recorded at most once (retried events do not repeat it).
 */
export async function notify(input: NotificationInput): Promise<void> {
  const parties = { recipient: input.recipient.toString(), actor: input.actor?.toString() ?? null };
  // Own actions are left out before the mute is read.
  if (isOwnAction(parties)) return;
  const muted = input.actor ? (await MuteModel.exists({ muter: input.recipient, muted: input.actor })) !== null : false;
  if (!isDelivered(parties, muted)) return;
  try {
    await NotificationModel.create({ ...input, data: input.data ?? {} });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}

/** Notifies the users a body mentions as `@username` (at most ten). */
export async function notifyMentions(body: string, actor: Types.ObjectId, article: Types.ObjectId, commentId: number | null = null): Promise<void> {
  const names = extractMentions(body);
  if (names.length === 0) return;
  const users = await UserModel.find({ usernameKey: { $in: names } }, { _id: 1 }).lean();
  await Promise.all(users.map((user) => notify({ recipient: user._id, type: 'mention', actor, article, commentId })));
}
