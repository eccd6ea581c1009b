import { conflict } from '../../lib/errors';
import { AppliedMarks } from './pendingMarks';
import { APPLIED_OPS_KEPT } from './voteOp';
import { decideChargeAndLand, type Waiting } from './voteBatch';
import type { CastVoteResult, VoteOutcome, VoteRequest } from './voteRequest';

/** More votes than this wait for the next batch (and no post lands more than its replay window at once). */
const MAX_BATCH = APPLIED_OPS_KEPT;
const MAX_ATTEMPTS = 100;

/** The time a batch window is measured in, and waited out with (tests pass their own). */
export interface BatchTiming {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const REAL_TIME: BatchTiming = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Votes arriving while a batch is being decided and applied are taken together by the next one:
 * one read of the voters, posts and existing votes, one guarded write per collection, instead of a
 * round trip per step per vote. A voter is in a batch at most once, so each voter's votes are decided
 * one after another, in the order they arrived. Across processes the guards (the voter's voteSeq,
 * the post's voteSeq, the author's reputationSeq) still decide, and a lost race retries the vote.
 */
export class VoteBatcher {
  private queue: Waiting[] = [];
  private running = false;
  private readonly marks = new AppliedMarks();
  private idleWaiters: (() => void)[] = [];
  /** When the last batch was taken (`timing.now()`), for the batch window. */
  private lastBatchAt = Number.NEGATIVE_INFINITY;
  private batches = 0;

  /**
   * `windowMs`: batches are taken at most once per window (a full batch goes at once). Under a
   * steady stream of votes each batch then carries the votes of a whole window, and what a batch
   * costs (its reads, one write per collection, the round trips) is shared by more votes; a vote on
   * a quiet site, with no batch in the last window, goes at once. See docs/architecture.md, "Votes".
   */
  constructor(
    private windowMs = 0,
    private readonly timing: BatchTiming = REAL_TIME,
  ) {}

  /** How many batches this batcher has taken. */
  get batchesTaken(): number {
    return this.batches;
  }

  /** Changes the batch window (VOTE_BATCH_WINDOW_MS) from the next batch on. */
  setWindow(windowMs: number): void {
    this.windowMs = windowMs;
  }

  /** A vote resolves to its result; a favorite request may also find the favorite already as asked. */
  submit(request: VoteRequest & { favorite?: undefined }): Promise<CastVoteResult>;
  submit(request: VoteRequest): Promise<VoteOutcome>;
  submit(request: VoteRequest): Promise<VoteOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject, attempts: 0 });
      if (!this.running) {
        this.running = true;
        // Let the requests read in this turn of the event loop join the first batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  /** Settles once no vote is queued or being decided and the landed votes' pending marks are cleared. */
  whenIdle(): Promise<void> {
    return this.running ? new Promise((resolve) => this.idleWaiters.push(resolve)) : Promise.resolve();
  }

  private async drain(): Promise<void> {
    do {
      await this.decideQueued();
      // No vote waiting to carry them: the last batch's pending marks are cleared on their own.
      await this.marks.flush();
    } while (this.queue.length > 0);
    this.running = false;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async decideQueued(): Promise<void> {
    while (this.queue.length > 0) {
      const wait = this.lastBatchAt + this.windowMs - this.timing.now();
      if (wait > 0 && this.queue.length < MAX_BATCH) await this.timing.sleep(wait);
      this.lastBatchAt = this.timing.now();
      this.batches += 1;
      const { batch, later } = nextBatch(this.queue);
      this.queue = later;
      let retry: Waiting[] = [];
      try {
        retry = await decideChargeAndLand(batch, this.marks);
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
      for (const waiting of retry) {
        waiting.attempts += 1;
        if (waiting.attempts >= MAX_ATTEMPTS) waiting.reject(conflict('too many concurrent votes; try again', 'vote'));
      }
      // A voter's retried vote goes before the votes that voter sent after it.
      this.queue = [...retry.filter((waiting) => waiting.attempts < MAX_ATTEMPTS), ...this.queue];
    }
  }
}

/** The next batch: in arrival order, each voter's first request, at most MAX_BATCH; the rest wait. */
function nextBatch(queue: Waiting[]): { batch: Waiting[]; later: Waiting[] } {
  const batch: Waiting[] = [];
  const later: Waiting[] = [];
  const voters = new Set<string>();
  for (const waiting of queue) {
    const voter = waiting.request.voter.toString();
    if (batch.length < MAX_BATCH && !voters.has(voter)) {
      voters.add(voter);
      batch.push(waiting);
    } else later.push(waiting);
  }
  return { batch, later };
}
