import { dueDrafts, publishDraft } from '../../commands/drafts/drafts';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import { startPolling } from '../pollingLoop';

/**
 * Publishes drafts whose `publishAt` has come. State lives only in the database (status, claim
 * lease), so a restarted or second scheduler continues where another stopped, and each draft is
 * published exactly once (see publishDraft).
 */
export class PublishScheduler {
  private loop: { stop(): Promise<void> } | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly payoutWindowSeconds: number,
    private readonly onPublished: () => void = () => {},
    private readonly batchSize = 50,
  ) {}

  /** One pass: publishes every due draft; returns how many this pass published. */
  async tick(): Promise<number> {
    let published = 0;
    for (const id of await dueDrafts(this.clock.now(), this.batchSize)) {
      try {
        const article = await publishDraft(id, this.clock.now(), { payoutWindowSeconds: this.payoutWindowSeconds });
        if (article) {
          published += 1;
          this.logger.info({ draft: id.toString(), slug: article.slug }, 'scheduled draft published');
        }
      } catch (error) {
        this.logger.warn({ draft: id.toString(), reason: error instanceof Error ? error.message : String(error) }, 'scheduled draft not published');
      }
    }
    if (published > 0) this.onPublished();
    return published;
  }

  start(intervalMs = 1000): void {
    this.loop = startPolling(() => this.tick(), intervalMs, (error) => this.logger.error({ err: error }, 'publish scheduler pass failed'));
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }
}
