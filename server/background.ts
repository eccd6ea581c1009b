import type { Services } from './services';
import { PublishScheduler } from '../workers/scheduler/publishScheduler';
import { refreshStakes } from '../commands/steem/accountLinks';
import { BadgeProcessor } from '../workers/badges/badgeProcessor';
import { applyStalePendingVotes } from '../commands/votes/pendingVote';
import { startPolling } from '../workers/pollingLoop';
import { PayoutWorker, type PayoutSettings } from '../workers/payouts/payoutWorker';
import type { Config } from './config';

/** A vote still pending this long after it was charged belongs to a process that stopped. */
const STALE_VOTE_SECONDS = 30;

const STAKE_REFRESH_EVERY_MS = 10 * 60 * 1000;
const STAKE_MAX_AGE_MS = 60 * 60 * 1000;

export interface BackgroundWork {
  stop(): Promise<void>;
}

/**
 * The background processors: scheduled publishing (and, as they land, payouts and badges). They
 * keep all their state in the database, so any number of processes may run them side by side.
 */
/** The payout worker's settings as `npm start` runs it (the settlement bench uses the same). */
export function payoutSettings(config: Config): PayoutSettings {
  return { ...config.payouts, batchesPerPass: 20, paymentsPerPass: 5000, concurrency: 8 };
}

export function startBackgroundWork(services: Services): BackgroundWork {
  const scheduler = new PublishScheduler(services.clock, services.logger.child({ worker: 'publish-scheduler' }), services.policy.payoutWindowSeconds, () =>
    services.readCache.invalidate(),
  );
  scheduler.start(1000);
  const badges = new BadgeProcessor(services.clock, services.logger.child({ worker: 'badges' }));
  badges.start(2000);
  const pendingVotes = startPolling(
    () => applyStalePendingVotes(services.policy, Math.floor(services.clock.now().getTime() / 1000) - STALE_VOTE_SECONDS),
    10_000,
    (error) => services.logger.error({ err: error }, 'pending vote sweep failed'),
  );
  // Linked accounts' stake (effective vesting shares) is re-read from chain hourly.
  const chain = services.chain;
  const stakeTimer = chain
    ? setInterval(() => {
        const now = services.clock.now();
        refreshStakes(chain, new Date(now.getTime() - STAKE_MAX_AGE_MS), now).catch((error: unknown) =>
          services.logger.warn({ reason: error instanceof Error ? error.message : String(error) }, 'stake refresh failed'),
        );
      }, STAKE_REFRESH_EVERY_MS)
    : undefined;
  stakeTimer?.unref();
  const payouts =
    chain && services.treasury
      ? new PayoutWorker({
          chain,
          treasury: services.treasury,
          clock: services.clock,
          logger: services.logger.child({ worker: 'payouts' }),
          policy: services.policy,
          settings: payoutSettings(services.config),
          onSettled: () => services.readCache.invalidate(),
        })
      : undefined;
  payouts?.start();
  services.logger.info(`background work started: publish scheduler, stake refresh, badges, pending-vote sweep${payouts ? ', payouts' : ''}`);
  return {
    stop: async () => {
      clearInterval(stakeTimer);
      await Promise.all([scheduler.stop(), badges.stop(), pendingVotes.stop(), payouts?.stop()]);
    },
  };
}
