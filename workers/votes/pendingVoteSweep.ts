import type { RewardPolicy } from '../../domain/rewards';
import { applyStalePendingVotes } from '../../commands/votes/pendingVote';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import { startPolling } from '../pollingLoop';

/** A vote still pending this long after it was charged belongs to a process that stopped. */
export const STALE_VOTE_SECONDS = 30;
const SWEEP_EVERY_MS = 10_000;

/**
 * Rolls forward the votes a stopped process charged but never applied, so the post's tally (and
 * its settlement, which waits for them) catches up.
 */
export function startPendingVoteSweep(deps: { policy: RewardPolicy; clock: Clock; logger: Logger }, intervalMs = SWEEP_EVERY_MS): { stop(): Promise<void> } {
  return startPolling(
    () => applyStalePendingVotes(deps.policy, Math.floor(deps.clock.now().getTime() / 1000) - STALE_VOTE_SECONDS),
    intervalMs,
    (error) => deps.logger.error({ err: error }, 'pending vote sweep failed'),
  );
}
