import { formatSteem } from '../../domain/money';
import { WEEKLY_TOP, weeklyTopBadgeName, type WeeklyBoard } from '../../domain/gamification/badges';
import { awardBadges } from './awards';
import { payoutTotals, periodStart, weekEnd } from './leaderboards';
import { ProcessorCursorModel } from '../../models/event';
import { SettlementModel } from '../../models/settlement';

const CURSOR_ID = 'weekly-top';
/**
 * A week's ranking is final once every post settled in it is committed: a batch takes its time at
 * the start and commits seconds later, so a week closes a quarter of an hour after it ends.
 */
export const WEEK_CLOSE_GRACE_MS = 15 * 60_000;

/**
 * Awards the top-10 author and top-10 curator badges of every week that has closed since the last
 * one awarded (or since the first settlement). Returns the weeks awarded. The cursor moves after a
 * week's awards, which are idempotent, so a crash repeats a week harmlessly.
 */
export async function awardClosedWeeks(now: Date): Promise<Date[]> {
  // The week before the one still open (counting the grace): the last whose ranking is final.
  const open = periodStart('week', new Date(now.getTime() - WEEK_CLOSE_GRACE_MS));
  const lastClosed = periodStart('week', new Date(open.getTime() - 1));
  const cursor = await ProcessorCursorModel.findById(CURSOR_ID).lean();
  let week: Date;
  if (cursor?.lastPeriodStart) {
    week = weekEnd(cursor.lastPeriodStart);
  } else {
    const first = await SettlementModel.findOne({ status: 'committed' }, { settledAt: 1 }).sort({ settledAt: 1 }).lean();
    if (!first) return [];
    week = periodStart('week', first.settledAt);
  }
  const awarded: Date[] = [];
  for (; week.getTime() <= lastClosed.getTime(); week = weekEnd(week)) {
    for (const board of ['author', 'curator'] as WeeklyBoard[]) {
      const top = await payoutTotals(board, week, weekEnd(week), WEEKLY_TOP);
      const name = weeklyTopBadgeName(board, week);
      const day = week.toISOString().slice(0, 10);
      await awardBadges(
        top.map((row, i) => ({ user: row.user, name, reason: `#${i + 1} ${board} of the week of ${day}: paid ${formatSteem(row.amount)} by ${row.posts} post${row.posts === 1 ? '' : 's'}` })),
        now,
      );
    }
    await ProcessorCursorModel.updateOne({ _id: CURSOR_ID }, { $set: { lastPeriodStart: week } }, { upsert: true });
    awarded.push(week);
  }
  return awarded;
}
