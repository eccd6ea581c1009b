/**
 * What the badge processor reads of the domain events: a page after its cursor, reduced to the
 * authors whose activity may have earned a badge and the settlements that may have paid a first
 * payout or curation reward. The cursor moves only after a page's awards, so a crash replays a page.
 */
import { Types } from 'mongoose';
import { earnedPayoutBadges } from '../../domain/gamification/badges';
import { EventModel, ProcessorCursorModel } from '../../models/event';
import { SettlementModel } from '../../models/settlement';
import type { Award } from './awards';

const CURSOR_ID = 'badges';
const ACTIVITY_EVENTS = new Set(['article.published', 'vote.applied']);

export interface BadgeEventPage {
  /** Events read (0 when none are past the cursor). */
  events: number;
  /** The cursor the page was read after, and the page's last event: `advanceBadgeCursor` moves one to the other. */
  after: Types.ObjectId | null;
  last: Types.ObjectId | null;
  activityAuthors: Types.ObjectId[];
  settlements: Types.ObjectId[];
}

export async function readBadgeEvents(pageSize: number): Promise<BadgeEventPage> {
  const cursor = await ProcessorCursorModel.findOneAndUpdate({ _id: CURSOR_ID }, { $setOnInsert: { lastEventId: null } }, { upsert: true, returnDocument: 'after' }).lean();
  const after = cursor?.lastEventId ?? null;
  const events = await EventModel.find(after ? { _id: { $gt: after } } : {})
    .sort({ _id: 1 })
    .limit(pageSize)
    .lean();
  const authors = new Map<string, Types.ObjectId>();
  const settlements: Types.ObjectId[] = [];
  for (const event of events) {
    if (ACTIVITY_EVENTS.has(event.type)) authors.set(event.user.toString(), event.user);
    const settlement = (event.data as { settlement?: unknown } | null)?.settlement;
    if (event.type === 'payout.settled' && typeof settlement === 'string' && Types.ObjectId.isValid(settlement)) settlements.push(new Types.ObjectId(settlement));
  }
  return { events: events.length, after, last: events.length > 0 ? events[events.length - 1]!._id : null, activityAuthors: [...authors.values()], settlements };
}

/** Moves the cursor past a processed page, unless another processor moved it meanwhile. */
export async function advanceBadgeCursor(page: BadgeEventPage): Promise<void> {
  if (!page.last) return;
  await ProcessorCursorModel.updateOne({ _id: CURSOR_ID, lastEventId: page.after }, { $set: { lastEventId: page.last } });
}

/** First-payout and first-curation badges earned by the committed settlements among these. */
export async function payoutBadgeAwards(settlementIds: readonly Types.ObjectId[]): Promise<Award[]> {
  if (settlementIds.length === 0) return [];
  const settlements = await SettlementModel.find({ _id: { $in: settlementIds }, status: 'committed' }, { slug: 1, entries: 1 }).lean();
  return settlements.flatMap((settlement) =>
    earnedPayoutBadges(
      settlement.slug,
      settlement.entries.map((e) => ({ role: e.role ?? '', user: e.user ? e.user.toString() : null, amount: BigInt(e.liquid ?? '0') + BigInt(e.power ?? '0') })),
    ).map((badge) => ({ ...badge, user: new Types.ObjectId(badge.user) })),
  );
}
