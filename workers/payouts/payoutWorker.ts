import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { ChainClient, TreasuryKey } from '../../chain';
import type { RewardPolicy } from '../../domain/rewards';
import { acquireLease, releaseLease } from '../../commands/payouts/lease';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import { startPolling } from '../pollingLoop';
import { buildTransactions, queueLinkedPayments, releaseStrandedPayments } from '../../commands/payouts/buildTransfers';
import { readDueBatch, type DueBatch } from '../../commands/payouts/dueBatch';
import { progressTransactions } from '../../commands/payouts/followTransfers';
import { settleNextBatch, type BatchReport } from '../../commands/payouts/settleNextBatch';
import { recoverBatches } from '../../commands/payouts/settlementLifecycle';
import type { TransferContext, TransferSettings } from '../../commands/payouts/transferContext';

export interface PayoutSettings extends TransferSettings {
  batchSize: number;
  delaySeconds: number;
  /** Batches settled per pass at most (the settle lease is renewed between them). */
  batchesPerPass: number;
  pollMs: number;
}

export interface PayoutWorkerDependencies {
  chain: ChainClient;
  treasury: TreasuryKey;
  clock: Clock;
  logger: Logger;
  policy: RewardPolicy;
  settings: PayoutSettings;
  /** Called after a batch marks articles paid (the API's read cache). */
  onSettled?: (report: BatchReport) => void;
}

const SETTLE_LEASE = 'payout:settle';
const BUILD_LEASE = 'payout:build';

/**
 * The payout worker: settles due posts in batches and pays the ledger on chain. All of its state is
 * in the database and every step is guarded by a lease or a compare-and-set, so any number of
 * workers may run against one database and a killed one is simply taken over.
 */
export class PayoutWorker {
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private loops: { stop(): Promise<void> }[] = [];
  private readonly lookedUpAt = new Map<string, number>();
  private readonly broadcasting = new Set<Promise<void>>();
  private readonly knownAccounts = new Set<string>();
  private wakeSending: () => void = () => undefined;

  constructor(private readonly deps: PayoutWorkerDependencies) {}

  /** One pass: settle what is due, then move every payment as far as it can go. */
  async tick(): Promise<void> {
    await this.settleDue();
    await this.pay();
  }

  /**
   * Settles due posts batch after batch, overlapping the stages that do not depend on each other:
   * the next batch is read ahead once this one has claimed its posts, and each committed batch is
   * applied while the next one is computed.
   */
  async settleDue(): Promise<BatchReport[]> {
    const { clock, settings, logger, policy } = this.deps;
    const reports: BatchReport[] = [];
    if (!(await acquireLease(SETTLE_LEASE, this.owner, clock.now(), settings.leaseMs))) return reports;
    await recoverBatches(logger);
    const context = { policy, owner: this.owner, batchSize: settings.batchSize, delaySeconds: settings.delaySeconds, logger, overlapApply: true };
    const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
    let applying: Promise<void> = Promise.resolve();
    let readAhead: Promise<DueBatch | null> | undefined;
    try {
      for (let i = 0; i < settings.batchesPerPass; i++) {
        if (i > 0 && !(await acquireLease(SETTLE_LEASE, this.owner, clock.now(), settings.leaseMs))) break;
        const prefetched = readAhead ? await readAhead : undefined;
        readAhead = undefined;
        const readNext = () => {
          if (i + 1 >= settings.batchesPerPass) return;
          readAhead = readDueBatch(context, nowSeconds());
          readAhead.catch(() => undefined); // awaited by the next round, or dropped with the pass
        };
        const report = await settleNextBatch(context, nowSeconds(), prefetched, readNext);
        if (!report) break;
        await applying;
        applying = report.applied.then(() => {
          this.wakeSending(); // its payments are queued: send them now rather than at the next poll
          this.deps.onSettled?.(report);
        });
        applying.catch(() => undefined); // awaited before the next batch and at the end of the pass
        reports.push(report);
      }
    } finally {
      await readAhead?.catch(() => undefined);
      await applying;
    }
    return reports;
  }

  async pay(): Promise<void> {
    await this.send();
    await this.follow();
  }

  /**
   * Queues what can be paid and signs and broadcasts new transactions. In the background loop the
   * broadcasts are not waited for (each waits for its block), so the next batch's transfers are
   * built meanwhile; at most `concurrency` are in flight.
   */
  async send(inBackground = false): Promise<void> {
    if (this.knownAccounts.size > 1_000_000) this.knownAccounts.clear();
    const context = this.transferContext();
    if (inBackground) {
      if (this.broadcasting.size >= this.deps.settings.concurrency) return;
      context.launch = (broadcast) => {
        const running: Promise<void> = broadcast()
          .catch((error: unknown) => this.deps.logger.warn({ reason: error instanceof Error ? error.message : String(error) }, 'broadcast failed; the transaction id will be looked up'))
          .finally(() => this.broadcasting.delete(running));
        this.broadcasting.add(running);
      };
    }
    await releaseStrandedPayments(context);
    await queueLinkedPayments();
    if (await acquireLease(BUILD_LEASE, this.owner, this.deps.clock.now(), this.deps.settings.leaseMs)) await buildTransactions(context);
  }

  /** Follows the transactions in flight until each is irreversible (or expired and re-queued). */
  async follow(): Promise<void> {
    if (this.lookedUpAt.size > 10_000) this.lookedUpAt.clear();
    const progress = await progressTransactions(this.transferContext());
    if (progress.settled > 0 || progress.expired > 0) this.deps.logger.info(progress, `payout transactions: ${progress.settled} irreversible, ${progress.included} included, ${progress.expired} expired`);
  }

  private transferContext(): TransferContext {
    return {
      chain: this.deps.chain,
      treasury: this.deps.treasury,
      owner: this.owner,
      now: () => this.deps.clock.now(),
      settings: this.deps.settings,
      logger: this.deps.logger,
      lookedUpAt: this.lookedUpAt,
      knownAccounts: this.knownAccounts,
    };
  }

  /**
   * Settling, sending and following run as three loops: transfers of one batch go out while the
   * next is settled, and a broadcast waiting for its block holds up neither.
   */
  start(): void {
    const onError = (stage: string) => (error: unknown) =>
      this.deps.logger.error({ reason: error instanceof Error ? error.message : String(error) }, `payout ${stage} pass failed; retrying`);
    const sending = startPolling(() => this.send(true), this.deps.settings.pollMs, onError('transfer'));
    this.wakeSending = () => sending.wake();
    this.loops = [startPolling(() => this.settleDue(), this.deps.settings.pollMs, onError('settlement')), sending, startPolling(() => this.follow(), this.deps.settings.pollMs, onError('confirmation'))];
  }

  /** Stops after the pass in progress and hands its leases back, so another worker goes on at once. */
  async stop(): Promise<void> {
    await Promise.all(this.loops.map((loop) => loop.stop()));
    await Promise.all([...this.broadcasting]);
    await Promise.all([releaseLease(SETTLE_LEASE, this.owner), releaseLease(BUILD_LEASE, this.owner)]).catch(() => undefined);
  }
}
