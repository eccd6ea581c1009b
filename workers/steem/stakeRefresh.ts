import type { ChainClient } from '../../chain';
import { refreshStakes } from '../../commands/steem/accountLinks';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';

const STAKE_REFRESH_EVERY_MS = 10 * 60 * 1000;
const STAKE_MAX_AGE_MS = 60 * 60 * 1000;

/**
 * Re-reads linked accounts' stake (effective vesting shares) from chain once it is an hour old,
 * checking every ten minutes. The timer does not keep the process alive.
 */
export function startStakeRefresh(deps: { chain: ChainClient; clock: Clock; logger: Logger }, intervalMs = STAKE_REFRESH_EVERY_MS): { stop(): Promise<void> } {
  const timer = setInterval(() => {
    const now = deps.clock.now();
    refreshStakes(deps.chain, new Date(now.getTime() - STAKE_MAX_AGE_MS), now).catch((error: unknown) =>
      deps.logger.warn({ reason: error instanceof Error ? error.message : String(error) }, 'stake refresh failed'),
    );
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => clearInterval(timer),
  };
}
