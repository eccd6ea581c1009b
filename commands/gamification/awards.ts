import { Types } from 'mongoose';
import { badgeDefinition } from '../../domain/gamification/badges';
import { BadgeModel } from '../../models/badge';
import { isDuplicateKeyError } from '../duplicateKey';
import { notify } from '../notifications/notify';

export interface Award {
  user: Types.ObjectId;
  name: string;
  reason: string;
}

/**
 * Awards each badge its user does not hold yet, with a "badge" notification; returns the ones newly
 * awarded. Safe to repeat: the (user, badge) index is unique and the notification is keyed, so a
 * replayed award changes nothing.
 */
export async function awardBadges(awards: readonly Award[], now: Date): Promise<Award[]> {
  if (awards.length === 0) return [];
  const held = await BadgeModel.find({ user: { $in: [...new Set(awards.map((a) => a.user.toString()))].map((id) => new Types.ObjectId(id)) }, badge: { $in: [...new Set(awards.map((a) => a.name))] } }, { user: 1, badge: 1 }).lean();
  const heldKeys = new Set(held.map((b) => `${b.user.toString()}:${b.badge}`));
  const awarded: Award[] = [];
  for (const award of awards) {
    const key = `${award.user.toString()}:${award.name}`;
    if (heldKeys.has(key)) continue;
    heldKeys.add(key);
    // The keyed notification first: a crash before the badge is written replays both, never loses one.
    await notify({ recipient: award.user, type: 'badge', data: { badge: award.name, title: badgeDefinition(award.name).title, reason: award.reason }, dedupeKey: `badge:${key}` });
    try {
      await BadgeModel.create({ user: award.user, badge: award.name, reason: award.reason, awardedAt: now });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      continue;
    }
    awarded.push(award);
  }
  return awarded;
}
