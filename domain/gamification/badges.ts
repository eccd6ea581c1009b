import { STREAK_BADGES, UPVOTE_BADGES } from './streaks';

export interface BadgeDefinition {
  name: string;
  title: string;
  description: string;
}

export const BADGES: BadgeDefinition[] = [
  { name: 'first-post', title: 'First post', description: 'Published a post that earned positive votes.' },
  ...UPVOTE_BADGES.map(({ name, count }) => ({ name, title: `${count} upvotes`, description: `Received ${count} upvotes on posts with positive net rshares.` })),
  ...STREAK_BADGES.map(({ name, weeks }) => ({ name, title: `${weeks}-week streak`, description: `Posted in ${weeks} consecutive weeks (posts with positive net rshares).` })),
];

export interface AuthorStanding {
  /** Posts with positive net rshares. */
  positivePosts: number;
  /** Upvotes received on those posts. */
  upvotesOnPositivePosts: number;
  longestStreakWeeks: number;
}

/**
 * The activity badges an author's standing earns, with why. Only posts with positive net rshares
 * count, so unvoted or downvoted posts (and votes on them) earn nothing.
 */
export function earnedActivityBadges(standing: AuthorStanding): { name: string; reason: string }[] {
  const earned: { name: string; reason: string }[] = [];
  if (standing.positivePosts >= 1) earned.push({ name: 'first-post', reason: 'a post of yours earned positive votes' });
  for (const { name, count } of UPVOTE_BADGES) {
    if (standing.upvotesOnPositivePosts >= count) earned.push({ name, reason: `${standing.upvotesOnPositivePosts} upvotes received on posts with positive votes` });
  }
  for (const { name, weeks } of STREAK_BADGES) {
    if (standing.longestStreakWeeks >= weeks) earned.push({ name, reason: `posted in ${standing.longestStreakWeeks} consecutive weeks` });
  }
  return earned;
}
