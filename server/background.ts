import type { Services } from './services';
import { PublishScheduler } from '../workers/scheduler/publishScheduler';
import { BadgeProcessor } from '../workers/badges/badgeProcessor';
import { PayoutWorker, type PayoutSettings } from '../workers/payouts/payoutWorker';
import { startStakeRefresh } from '../workers/steem/stakeRefresh';
import { startPendingVoteSweep } from '../workers/votes/pendingVoteSweep';
import type { Config } from './config';

export interface BackgroundWork {
  stop(): Promise<void>;
}

/** The payout worker's settings as `npm start` runs it (the settlement bench uses the same). */
export function payoutSettings(config: Config): PayoutSettings {
  return { ...config.payouts, batchesPerPass: 20, paymentsPerPass: 5000, concurrency: 8 };
}

/**
 * Starts the background processors of workers/ (scheduled publishing, badges, the pending-vote
 * sweep, stake refresh, payouts). They keep all their state in the database, so any number of
 * processes may run them side by side.
 */
export function startBackgroundWork(services: Services): BackgroundWork {
  const scheduler = new PublishScheduler(services.clock, services.logger.child({ worker: 'publish-scheduler' }), services.policy.payoutWindowSeconds, () =>
    services.readCache.invalidate(),
  );
  scheduler.start(1000);
  const badges = new BadgeProcessor(services.clock, services.logger.child({ worker: 'badges' }));
  badges.start(2000);
  const pendingVotes = startPendingVoteSweep({ policy: services.policy, clock: services.clock, logger: services.logger });
  const chain = services.chain;
  const stakes = chain ? startStakeRefresh({ chain, clock: services.clock, logger: services.logger }) : undefined;
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
      await Promise.all([stakes?.stop(), scheduler.stop(), badges.stop(), pendingVotes.stop(), payouts?.stop()]);
    },
  };
}
