import { Types } from 'mongoose';
import { earnedActivityBadges, earnedPayoutBadges } from '../../domain/gamification/badges';
import { awardBadges, type Award } from '../../commands/gamification/awards';
import { authorStanding } from '../../commands/gamification/standing';
import { EventModel, ProcessorCursorModel } from '../../models/event';
import { SettlementModel } from '../../models/settlement';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import { startPolling } from '../pollingLoop';
import { awardClosedWeeks } from './weeklyTopBadges';

const CURSOR_ID = 'badges';
const ACTIVITY_EVENTS = new Set(['article.published', 'vote.applied']);

/**
 * Awards badges from domain events: activity badges (re-evaluating the author's standing after a
 * post or vote), payout badges (the first payout and first curation reward, from the settled
 * post's ledger), and, once a week has closed, its top-10 author and curator badges. Each badge is
 * awarded once per user, with a "badge" notification. The cursor moves only after a page is
 * processed, so a crash replays events and replays change nothing.
 */
export class BadgeProcessor {
  private loop: { stop(): Promise<void> } | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly pageSize = 200,
  ) {}

  /** Processes the events after the cursor and any week that has closed; returns how many events it read. */
  async tick(): Promise<number> {
    const weeks = await awardClosedWeeks(this.clock.now());
    for (const week of weeks) this.logger.info({ week: week.toISOString().slice(0, 10) }, 'weekly top-10 badges awarded');
    const cursor = await ProcessorCursorModel.findOneAndUpdate({ _id: CURSOR_ID }, { $setOnInsert: { lastEventId: null } }, { upsert: true, returnDocument: 'after' }).lean();
    const filter = cursor?.lastEventId ? { _id: { $gt: cursor.lastEventId } } : {};
    const events = await EventModel.find(filter).sort({ _id: 1 }).limit(this.pageSize).lean();
    if (events.length === 0) return 0;
    const authors = new Map<string, Types.ObjectId>();
    const settlements: Types.ObjectId[] = [];
    for (const event of events) {
      if (ACTIVITY_EVENTS.has(event.type)) authors.set(event.user.toString(), event.user);
      const settlement = (event.data as { settlement?: unknown } | null)?.settlement;
      if (event.type === 'payout.settled' && typeof settlement === 'string' && Types.ObjectId.isValid(settlement)) settlements.push(new Types.ObjectId(settlement));
    }
    const now = this.clock.now();
    const awards: Award[] = [];
    for (const author of authors.values()) {
      for (const badge of earnedActivityBadges(await authorStanding(author, now))) awards.push({ user: author, ...badge });
    }
    awards.push(...(await this.payoutAwards(settlements)));
    for (const award of await awardBadges(awards, now)) this.logger.info({ user: award.user.toString(), badge: award.name }, 'badge awarded');
    await ProcessorCursorModel.updateOne({ _id: CURSOR_ID, lastEventId: cursor?.lastEventId ?? null }, { $set: { lastEventId: events[events.length - 1]!._id } });
    return events.length;
  }

  private async payoutAwards(settlementIds: Types.ObjectId[]): Promise<Award[]> {
    if (settlementIds.length === 0) return [];
    const settlements = await SettlementModel.find({ _id: { $in: settlementIds }, status: 'committed' }, { slug: 1, entries: 1 }).lean();
    return settlements.flatMap((settlement) =>
      earnedPayoutBadges(
        settlement.slug,
        settlement.entries.map((e) => ({ role: e.role ?? '', user: e.user ? e.user.toString() : null, amount: BigInt(e.liquid ?? '0') + BigInt(e.power ?? '0') })),
      ).map((badge) => ({ ...badge, user: new Types.ObjectId(badge.user) })),
    );
  }

  start(intervalMs = 1000): void {
    this.loop = startPolling(() => this.tick(), intervalMs, (error) => this.logger.error({ err: error }, 'badge processor pass failed'));
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }
}
