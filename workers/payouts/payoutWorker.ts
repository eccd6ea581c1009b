import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { ChainClient, TreasuryKey } from '../../chain';
import type { RewardPolicy } from '../../domain/rewards';
import { acquireLease, releaseLease } from '../../commands/payouts/lease';
import type { Clock } from '../../server/clock';
import type { Logger } from '../../server/logger';
import { startPolling } from '../pollingLoop';
import { recoverBatches, settleNextBatch, type BatchReport } from './settlementBatches';
import { buildTransactions, progressTransactions, queueLinkedPayments, releaseStrandedPayments, type TransferSettings } from './transfers';

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

  constructor(private readonly deps: PayoutWorkerDependencies) {}

  /** One pass: settle what is due, then move every payment as far as it can go. */
  async tick(): Promise<void> {
    await this.settleDue();
    await this.pay();
  }

  async settleDue(): Promise<BatchReport[]> {
    const { clock, settings, logger, policy } = this.deps;
    const reports: BatchReport[] = [];
    if (!(await acquireLease(SETTLE_LEASE, this.owner, clock.now(), settings.leaseMs))) return reports;
    await recoverBatches(logger);
    for (let i = 0; i < settings.batchesPerPass; i++) {
      if (i > 0 && !(await acquireLease(SETTLE_LEASE, this.owner, clock.now(), settings.leaseMs))) break;
      const now = Math.floor(clock.now().getTime() / 1000);
      const report = await settleNextBatch({ policy, owner: this.owner, batchSize: settings.batchSize, delaySeconds: settings.delaySeconds, logger }, now);
      if (!report) break;
      reports.push(report);
      this.deps.onSettled?.(report);
    }
    return reports;
  }

  async pay(): Promise<void> {
    const context = {
      chain: this.deps.chain,
      treasury: this.deps.treasury,
      owner: this.owner,
      now: () => this.deps.clock.now(),
      settings: this.deps.settings,
      logger: this.deps.logger,
    };
    await releaseStrandedPayments(context);
    await queueLinkedPayments();
    if (await acquireLease(BUILD_LEASE, this.owner, this.deps.clock.now(), this.deps.settings.leaseMs)) await buildTransactions(context);
    const progress = await progressTransactions(context);
    if (progress.settled > 0 || progress.expired > 0) this.deps.logger.info(progress, `payout transactions: ${progress.settled} irreversible, ${progress.included} included, ${progress.expired} expired`);
  }

  /** Settling and paying run as two loops, so transfers of one batch go out while the next is settled. */
  start(): void {
    const onError = (stage: string) => (error: unknown) =>
      this.deps.logger.error({ reason: error instanceof Error ? error.message : String(error) }, `payout ${stage} pass failed; retrying`);
    this.loops = [
      startPolling(() => this.settleDue(), this.deps.settings.pollMs, onError('settlement')),
      startPolling(() => this.pay(), this.deps.settings.pollMs, onError('transfer')),
    ];
  }

  /** Stops after the pass in progress and hands its leases back, so another worker goes on at once. */
  async stop(): Promise<void> {
    await Promise.all(this.loops.map((loop) => loop.stop()));
    await Promise.all([releaseLease(SETTLE_LEASE, this.owner), releaseLease(BUILD_LEASE, this.owner)]).catch(() => undefined);
  }
}
