/** What /readyz reports: each dependency registers a check; the process is ready when all pass. */
export interface ReadinessResult {
  ok: boolean;
  detail?: string;
}

export type ReadinessCheck = () => Promise<ReadinessResult> | ReadinessResult;

export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  async evaluate(): Promise<{ ready: boolean; checks: Record<string, ReadinessResult> }> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]): Promise<[string, ReadinessResult]> => {
        try {
          return [name, await check()];
        } catch (error) {
          return [name, { ok: false, detail: error instanceof Error ? error.message : 'check failed' }];
        }
      }),
    );
    return { ready: entries.every(([, result]) => result.ok), checks: Object.fromEntries(entries) };
  }
}
