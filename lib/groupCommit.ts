/**
 * Group commit per key within this process: items queued for the same key while a write is in
 * flight are handed to the next write together, in arrival order. Used for hot documents (a popular
 * post, a much-voted author) whose updates are compare-and-set loops: one guarded write applies many
 * changes, instead of each change retrying against the others. Across processes the database guard
 * still decides.
 */
export class GroupCommitter<T, R> {
  private readonly queues = new Map<string, { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[]>();

  constructor(private readonly commit: (key: string, items: T[]) => Promise<R[]>) {}

  submit(key: string, item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      this.queues.set(key, [{ item, resolve, reject }]);
      void this.drain(key);
    });
  }

  private async drain(key: string): Promise<void> {
    for (;;) {
      const queue = this.queues.get(key)!;
      const batch = queue.splice(0);
      if (batch.length === 0) {
        this.queues.delete(key);
        return;
      }
      try {
        const results = await this.commit(key, batch.map((entry) => entry.item));
        batch.forEach((entry, i) => entry.resolve(results[i]!));
      } catch (error) {
        batch.forEach((entry) => entry.reject(error));
      }
    }
  }
}
