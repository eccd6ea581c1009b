import { ConfigError, loadConfig } from './config';
import { createLogger } from '../lib/logger';
import { startPlatform, type PlatformOptions } from './platform';

/** Entry point shared by `npm start` and `npm run worker`: config, start, graceful shutdown on signals. */
export function runProcess(role: PlatformOptions['role'], options: Pick<PlatformOptions, 'seed'> = {}): void {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel).child({ role });
  startPlatform(config, logger, { role, ...options })
    .then((platform) => {
      const shutdown = (signal: string) => {
        logger.info({ signal }, 'shutting down');
        platform
          .stop()
          .then(() => {
            logger.info('stopped');
            process.exit(0);
          })
          .catch((error: unknown) => {
            logger.error({ err: error }, 'shutdown failed');
            process.exit(1);
          });
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    })
    .catch((error: unknown) => {
      logger.fatal({ reason: error instanceof Error ? error.message : String(error) }, 'Inkwell failed to start');
      process.exit(1);
    });
}
