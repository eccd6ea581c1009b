import type { HeldBadge } from '../../commands/gamification/badges';
import { badgeDefinition } from '../../domain/gamification/badges';

/** A badge with its title and description (from its definition) and why and when it was awarded. */
export function presentBadge(badge: HeldBadge) {
  const definition = badgeDefinition(badge.badge);
  return { name: badge.badge, title: definition.title, description: definition.description, reason: badge.reason, awardedAt: badge.awardedAt.toISOString() };
}
