const WEEK_MS = 7 * 24 * 3600 * 1000;
/** 1970-01-01 was a Thursday; weeks start on Monday 00:00 UTC (ISO weeks). */
const MONDAY_OFFSET_MS = 3 * 24 * 3600 * 1000;

/** The index of the ISO week (Monday to Sunday, UTC) a moment falls in. */
export function weekIndex(at: Date): number {
  return Math.floor((at.getTime() + MONDAY_OFFSET_MS) / WEEK_MS);
}

export interface Streaks {
  /** Consecutive weeks with a qualifying post, ending this week (or last week, while this one is open). */
  current: number;
  longest: number;
}

/**
 * Weekly posting streaks from the times of an author's qualifying posts (the caller passes only
 * posts with positive net rshares, so unvoted or downvoted posts earn nothing).
 */
export function weeklyStreaks(postTimes: readonly Date[], now: Date): Streaks {
  const weeks = [...new Set(postTimes.map(weekIndex))].sort((a, b) => a - b);
  let longest = 0;
  let run = 0;
  let previous: number | undefined;
  for (const week of weeks) {
    run = previous !== undefined && week === previous + 1 ? run + 1 : 1;
    longest = Math.max(longest, run);
    previous = week;
  }
  const thisWeek = weekIndex(now);
  const last = weeks[weeks.length - 1];
  const current = last !== undefined && (last === thisWeek || last === thisWeek - 1) ? run : 0;
  return { current, longest };
}

/** Streak badges and the weeks they need. */
export const STREAK_BADGES = [2, 4, 8, 16].map((weeks) => ({ name: `streak-${weeks}-weeks`, weeks }));

/** Net-upvote badges: upvotes received on posts that ended with positive net rshares. */
export const UPVOTE_BADGES = [10, 100, 1000].map((count) => ({ name: `upvotes-${count}`, count }));

/** At most this many upvotes received count towards the upvote badges per UTC day. */
export const UPVOTES_COUNTED_PER_DAY = 50;

export interface ReceivedVote {
  voter: string;
  /** Basis points: positive an upvote, negative a downvote, 0 a removed vote. */
  weight: number;
  at: Date;
}

/**
 * The net upvotes an author's votes received count for, built so a script cannot farm them: the
 * author's own votes do not count, a voter counts once per UTC day however many of the author's
 * posts they upvote, at most UPVOTES_COUNTED_PER_DAY upvotes count per day, and every downvote
 * counts against. The caller passes only votes on posts with positive net rshares.
 */
export function netUpvotes(author: string, votes: readonly ReceivedVote[], dailyCap = UPVOTES_COUNTED_PER_DAY): number {
  const votersByDay = new Map<number, Set<string>>();
  let downvotes = 0;
  for (const vote of votes) {
    if (vote.voter === author) continue;
    if (vote.weight < 0) downvotes += 1;
    if (vote.weight <= 0) continue;
    const day = Math.floor(vote.at.getTime() / 86_400_000);
    const voters = votersByDay.get(day) ?? new Set<string>();
    voters.add(vote.voter);
    votersByDay.set(day, voters);
  }
  let upvotes = 0;
  for (const voters of votersByDay.values()) upvotes += Math.min(voters.size, dailyCap);
  return Math.max(0, upvotes - downvotes);
}
