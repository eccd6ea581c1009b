import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { startPlatform } from './platform';

/** `npm start`: the whole platform on embedded defaults; SIGTERM/SIGINT shut it down gracefully. */
async function main(): Promise<void> {
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
  const logger = createLogger(config.logLevel);
  const platform = await startPlatform(config, logger);
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
}

main().catch((error: unknown) => {
  process.stderr.write(`Inkwell failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
