/**
 * Runs `tick` again `intervalMs` after each pass ends (never two passes at once), until stopped;
 * `wake` starts the next pass now (or right after the one in progress); `stop` waits for a pass in
 * progress.
 */
export function startPolling(tick: () => Promise<unknown>, intervalMs: number, onError: (error: unknown) => void): { stop(): Promise<void>; wake(): void } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;
  let woken = false;
  const schedule = (delayMs: number) => {
    clearTimeout(timer);
    timer = setTimeout(loop, delayMs);
  };
  const loop = () => {
    timer = undefined;
    woken = false;
    running = tick().catch(onError);
    void running.finally(() => {
      running = undefined;
      if (!stopped) schedule(woken ? 0 : intervalMs);
    });
  };
  schedule(0);
  return {
    wake: () => {
      if (stopped) return;
      if (running) woken = true;
      else schedule(0);
    },
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
