/**
 * What building and following payout transfers share: their settings and context, the memo that
 * ties a transfer to its batch, and a bounded task runner.
 */
import type { ChainClient, TreasuryKey } from '../../chain';
import type { Logger } from '../../lib/logger';

export interface TransferSettings {
  maxOperations: number;
  maxBytes: number;
  expirationSeconds: number;
  leaseMs: number;
  /** Payments taken into new transactions per pass. */
  paymentsPerPass: number;
  /** Broadcasts in flight at once (each waits for its block). */
  concurrency: number;
}

export interface TransferContext {
  chain: ChainClient;
  treasury: TreasuryKey;
  owner: string;
  now: () => Date;
  settings: TransferSettings;
  logger: Logger;
  /**
   * The head block at which each transaction was last looked up by this worker: nothing about a
   * transaction can change until the next block, so it is looked up (and re-sent) once per block.
   */
  lookedUpAt?: Map<string, number>;
  /**
   * Runs a broadcast without waiting for it (a synchronous broadcast waits for its block); when
   * absent, each pass waits for its broadcasts.
   */
  launch?: (broadcast: () => Promise<void>) => void;
  /** Recipient accounts this worker has seen on chain. */
  knownAccounts?: Set<string>;
}

/** The memo of every transfer paying a batch's payments: the receipt and reconciliation match on it. */
export const payoutMemo = (batch: string) => `inkwell:payout:${batch}`;

/** Runs the tasks at most `concurrency` at a time; throws the first error once all have run. */
export async function runLimited(tasks: (() => Promise<void>)[], concurrency: number): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const lane = async () => {
    while (next < tasks.length) {
      const task = tasks[next++]!;
      await task().catch((error: unknown) => errors.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, tasks.length)) }, lane));
  if (errors.length > 0) throw errors[0];
}
