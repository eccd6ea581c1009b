import { BadgeModel } from '../../models/badge';
import { findProfileUser } from '../profiles/findProfileUser';

/** A badge a user holds. */
export interface HeldBadge {
  badge: string;
  reason: string;
  awardedAt: Date;
}

/** The badges of the user a profile URL names, in the order they were awarded. */
export async function badgesOf(username: string): Promise<HeldBadge[]> {
  const user = await findProfileUser(username);
  return BadgeModel.find({ user: user._id }, { badge: 1, reason: 1, awardedAt: 1 }).sort({ awardedAt: 1, _id: 1 }).lean<HeldBadge[]>();
}
