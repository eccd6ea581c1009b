/**
 * Runs `tick` again `intervalMs` after each pass ends (never two passes at once), until stopped;
 * `stop` waits for a pass in progress.
 */
export function startPolling(tick: () => Promise<unknown>, intervalMs: number, onError: (error: unknown) => void): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;
  const loop = () => {
    running = tick().catch(onError);
    void running.finally(() => {
      if (!stopped) timer = setTimeout(loop, intervalMs);
    });
  };
  timer = setTimeout(loop, 0);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
