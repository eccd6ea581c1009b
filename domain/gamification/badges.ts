import { formatSteem } from '../money';
import { STREAK_BADGES, UPVOTE_BADGES, UPVOTES_COUNTED_PER_DAY } from './streaks';

export interface BadgeDefinition {
  name: string;
  title: string;
  description: string;
}

export const BADGES: BadgeDefinition[] = [
  { name: 'first-post', title: 'First post', description: 'Published a post that earned positive votes.' },
  ...UPVOTE_BADGES.map(({ name, count }) => ({ name, title: `${count} upvotes`, description: `Received ${count} net upvotes that carry stake (non-zero rshares) on posts with positive net rshares (others' votes; a voter counts once a day, at most ${UPVOTES_COUNTED_PER_DAY} a day).` })),
  ...STREAK_BADGES.map(({ name, weeks }) => ({ name, title: `${weeks}-week streak`, description: `Posted in ${weeks} consecutive weeks (posts with positive net rshares).` })),
  { name: 'first-payout', title: 'First payout', description: 'A post of yours paid out for the first time.' },
  { name: 'first-curation', title: 'First curation reward', description: 'Earned a curation reward for the first time.' },
];

export type WeeklyBoard = 'author' | 'curator';
export const WEEKLY_TOP = 10;

/**
 * A weekly top-10 badge can be earned once per week, so its name carries the week:
 * `top-10-author:2026-11-16` (the Monday the week starts on, UTC).
 */
export function weeklyTopBadgeName(board: WeeklyBoard, weekStart: Date): string {
  return `top-${WEEKLY_TOP}-${board}:${weekStart.toISOString().slice(0, 10)}`;
}

const WEEKLY_NAME = new RegExp(`^top-${WEEKLY_TOP}-(author|curator):(\\d{4}-\\d{2}-\\d{2})$`);

/** The definition of a stored badge name, including the per-week ones. */
export function badgeDefinition(name: string): BadgeDefinition {
  const fixed = BADGES.find((b) => b.name === name);
  if (fixed) return fixed;
  const weekly = WEEKLY_NAME.exec(name);
  if (weekly) {
    const role = weekly[1] as WeeklyBoard;
    const week = weekly[2]!;
    return {
      name,
      title: `Top-${WEEKLY_TOP} ${role} of the week of ${week}`,
      description: `Among the ${WEEKLY_TOP} ${role}s paid the most in the week starting ${week}.`,
    };
  }
  return { name, title: name, description: '' };
}

export interface AuthorStanding {
  /** Posts with positive net rshares. */
  positivePosts: number;
  /** Net upvotes received on those posts, as `netUpvotes` counts them (anti-farming rules applied; votes with zero rshares left out). */
  netUpvotes: number;
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
    if (standing.netUpvotes >= count) earned.push({ name, reason: `${standing.netUpvotes} net upvotes carrying stake received on posts with positive votes` });
  }
  for (const { name, weeks } of STREAK_BADGES) {
    if (standing.longestStreakWeeks >= weeks) earned.push({ name, reason: `posted in ${standing.longestStreakWeeks} consecutive weeks` });
  }
  return earned;
}

export interface SettlementEntry {
  role: string;
  user: string | null;
  amount: bigint;
}

/**
 * The payout badges a settled post's ledger entries earn: the author's first payout and each
 * curator's first curation reward. Only entries that paid something count (a post without positive
 * net rshares pays nothing and so earns nothing).
 */
export function earnedPayoutBadges(slug: string, entries: readonly SettlementEntry[]): { user: string; name: string; reason: string }[] {
  const earned: { user: string; name: string; reason: string }[] = [];
  for (const entry of entries) {
    if (!entry.user || entry.amount <= 0n) continue;
    if (entry.role === 'author') earned.push({ user: entry.user, name: 'first-payout', reason: `"${slug}" paid you ${formatSteem(entry.amount)}` });
    if (entry.role === 'curator') earned.push({ user: entry.user, name: 'first-curation', reason: `curating "${slug}" paid you ${formatSteem(entry.amount)}` });
  }
  return earned;
}
