import type { Services } from './services';
import { PublishScheduler } from '../workers/scheduler/publishScheduler';

export interface BackgroundWork {
  stop(): Promise<void>;
}

/**
 * The background processors: scheduled publishing (and, as they land, payouts and badges). They
 * keep all their state in the database, so any number of processes may run them side by side.
 */
export function startBackgroundWork(services: Services): BackgroundWork {
  const scheduler = new PublishScheduler(services.clock, services.logger.child({ worker: 'publish-scheduler' }), () =>
    services.readCache.invalidate(),
  );
  scheduler.start(1000);
  services.logger.info('background work started: publish scheduler');
  return {
    stop: async () => {
      await scheduler.stop();
    },
  };
}
