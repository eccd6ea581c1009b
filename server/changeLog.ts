/** Where a computation started, in a ChangeLog's sequence of changes. */
export interface ChangeRun {
  since: number;
}

/**
 * When each key last changed, kept only while a computation that started before the change may still
 * finish. A computation notes where it starts (`start`) and, once done, asks whether anything it
 * depends on changed since (`changedSince`): if so, its result answers the request that asked for it
 * but is not kept. The read cache logs its tags here, the reader memo its readers.
 */
export class ChangeLog {
  private sequence = 0;
  private everythingAt = 0;
  /** key → the sequence of its last change, for changes made while a computation was running. */
  private readonly changedAt = new Map<string, number>();
  private readonly running = new Set<ChangeRun>();

  /** `pruneAt`: how many changed keys are held before those older than every running computation are dropped. */
  constructor(private readonly pruneAt = 1024) {}

  start(): ChangeRun {
    const run = { since: this.sequence };
    this.running.add(run);
    return run;
  }

  finish(run: ChangeRun): void {
    this.running.delete(run);
    if (this.running.size === 0) this.changedAt.clear();
  }

  change(keys: Iterable<string>): void {
    const at = ++this.sequence;
    // A computation starting later starts after this change; only running ones need to hear of it.
    if (this.running.size === 0) return;
    this.pruneSettled();
    for (const key of keys) this.changedAt.set(key, at);
  }

  /**
   * A step in the sequence that changes no key: where an event happened, for a caller keeping its own
   * record of what happened while computations ran (`startedBefore` compares a run with it).
   */
  step(): number {
    return ++this.sequence;
  }

  /** Whether `run` started before the step at `at`. */
  startedBefore(run: ChangeRun, at: number): boolean {
    return run.since < at;
  }

  /** Whether any computation is running (a record of events only they could care about can be dropped when none is). */
  get busy(): boolean {
    return this.running.size > 0;
  }

  /** Where the oldest running computation started (the current step when none runs). */
  oldestRunning(): number {
    let oldest = this.sequence;
    for (const run of this.running) oldest = Math.min(oldest, run.since);
    return oldest;
  }

  changeEverything(): void {
    this.everythingAt = ++this.sequence;
    this.changedAt.clear();
  }

  changedSince(run: ChangeRun, keys: Iterable<string>): boolean {
    if (this.everythingAt > run.since) return true;
    for (const key of keys) if ((this.changedAt.get(key) ?? 0) > run.since) return true;
    return false;
  }

  /** Changes older than every running computation can no longer discard one: dropped, so the map stays small under steady load. */
  private pruneSettled(): void {
    if (this.changedAt.size < this.pruneAt) return;
    const oldest = this.oldestRunning();
    for (const [key, at] of this.changedAt) if (at <= oldest) this.changedAt.delete(key);
  }
}
