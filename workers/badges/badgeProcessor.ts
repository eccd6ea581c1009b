import { earnedActivityBadges } from '../../domain/gamification/badges';
import { awardBadges, type Award } from '../../commands/gamification/awards';
import { advanceBadgeCursor, payoutBadgeAwards, readBadgeEvents } from '../../commands/gamification/badgeEvents';
import { authorStanding } from '../../commands/gamification/standing';
import { awardClosedWeeks } from '../../commands/gamification/weeklyTopBadges';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import { startPolling } from '../pollingLoop';

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
    const page = await readBadgeEvents(this.pageSize);
    if (page.events === 0) return 0;
    const now = this.clock.now();
    const awards: Award[] = [];
    for (const author of page.activityAuthors) {
      for (const badge of earnedActivityBadges(await authorStanding(author, now))) awards.push({ user: author, ...badge });
    }
    awards.push(...(await payoutBadgeAwards(page.settlements)));
    for (const award of await awardBadges(awards, now)) this.logger.info({ user: award.user.toString(), badge: award.name }, 'badge awarded');
    await advanceBadgeCursor(page);
    return page.events;
  }

  start(intervalMs = 1000): void {
    this.loop = startPolling(() => this.tick(), intervalMs, (error) => this.logger.error({ err: error }, 'badge processor pass failed'));
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }
}
