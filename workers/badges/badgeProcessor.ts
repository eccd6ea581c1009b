import type { Types } from 'mongoose';
import { earnedActivityBadges, BADGES } from '../../domain/gamification/badges';
import { authorStanding } from '../../commands/gamification/standing';
import { isDuplicateKeyError } from '../../commands/duplicateKey';
import { notify } from '../../commands/notifications/notify';
import { BadgeModel } from '../../models/badge';
import { EventModel, ProcessorCursorModel } from '../../models/event';
import type { Clock } from '../../server/clock';
import type { Logger } from '../../server/logger';
import { startPolling } from '../pollingLoop';

const CURSOR_ID = 'badges';

/**
 * Awards activity badges from domain events (article published, vote applied): re-evaluates the
 * affected author's standing and awards what it earns, once per user and badge (unique index), with
 * a "badge" notification. Its cursor moves only after a page is processed, so a crash replays events
 * and replays change nothing.
 */
export class BadgeProcessor {
  readonly handles = ['article.published', 'vote.applied'] as const;
  private loop: { stop(): Promise<void> } | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly pageSize = 200,
  ) {}

  /** Processes the events after the cursor; returns how many it read. */
  async tick(): Promise<number> {
    const cursor = await ProcessorCursorModel.findOneAndUpdate({ _id: CURSOR_ID }, { $setOnInsert: { lastEventId: null } }, { upsert: true, returnDocument: 'after' }).lean();
    const filter = cursor?.lastEventId ? { _id: { $gt: cursor.lastEventId } } : {};
    const events = await EventModel.find(filter).sort({ _id: 1 }).limit(this.pageSize).lean();
    if (events.length === 0) return 0;
    const authors = new Map<string, Types.ObjectId>();
    for (const event of events) if ((this.handles as readonly string[]).includes(event.type)) authors.set(event.user.toString(), event.user);
    for (const author of authors.values()) await this.evaluate(author);
    await ProcessorCursorModel.updateOne({ _id: CURSOR_ID, lastEventId: cursor?.lastEventId ?? null }, { $set: { lastEventId: events[events.length - 1]!._id } });
    return events.length;
  }

  private async evaluate(author: Types.ObjectId): Promise<void> {
    const now = this.clock.now();
    for (const badge of earnedActivityBadges(await authorStanding(author, now))) {
      try {
        await BadgeModel.create({ user: author, badge: badge.name, reason: badge.reason, awardedAt: now });
      } catch (error) {
        if (isDuplicateKeyError(error)) continue;
        throw error;
      }
      const title = BADGES.find((b) => b.name === badge.name)?.title ?? badge.name;
      await notify({ recipient: author, type: 'badge', data: { badge: badge.name, title }, dedupeKey: `badge:${author.toString()}:${badge.name}` });
      this.logger.info({ user: author.toString(), badge: badge.name }, 'badge awarded');
    }
  }

  start(intervalMs = 1000): void {
    this.loop = startPolling(() => this.tick(), intervalMs, (error) => this.logger.error({ err: error }, 'badge processor pass failed'));
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }
}
