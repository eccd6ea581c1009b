import mongoose from 'mongoose';
import { createApp } from './app';
import { createTokenService } from './auth/tokens';
import { systemClock, type Clock } from './clock';
import type { Config } from './config';
import { resolveDatabase, type ResolvedDatabase } from './database';
import { listen, type RunningHttpServer } from './httpServer';
import type { Logger } from './logger';
import { connectMongo, pingMongo } from './mongo';
import { ReadCache } from './readCache';
import { Readiness } from './readiness';
import { allRouters } from './routers';
import type { Services } from './services';

export interface RunningPlatform {
  url: string;
  services: Services;
  http: RunningHttpServer;
  /** Graceful: stop accepting, finish in-flight requests, stop background work, close the database. */
  stop(): Promise<void>;
}

/** Starts the whole platform from a Config: database, HTTP API (and, as issues land, chain and worker). */
export async function startPlatform(config: Config, logger: Logger, options: { clock?: Clock } = {}): Promise<RunningPlatform> {
  const clock = options.clock ?? systemClock;
  const database: ResolvedDatabase = await resolveDatabase({
    mongodbUri: config.database.uri,
    mode: config.database.mode,
    memoryServerTimeoutMs: config.database.fallbackTimeoutMs,
    logger,
  });
  logger.info({ backend: database.backend }, `database: ${database.label}`);
  try {
    await connectMongo(database.uri);
  } catch (error) {
    await database.stop();
    throw error;
  }

  const readiness = new Readiness();
  readiness.register('database', async () => ({ ok: await pingMongo().catch(() => false) }));
  if (!config.auth.jwtSecret) logger.warn('JWT_SECRET is not set: using a random secret, so tokens end when this process does');
  const services: Services = {
    config,
    clock,
    logger,
    readiness,
    tokens: createTokenService(config.auth.jwtSecret, config.auth.tokenTtlSeconds),
    readCache: new ReadCache(clock),
  };

  const app = createApp({ logger, routers: allRouters(services) });
  const http = await listen(app, config.http.host, config.http.port);
  logger.info({ url: http.url }, `Inkwell API listening on ${http.url}`);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await http.close(config.http.shutdownTimeoutMs);
      await mongoose.disconnect();
      await database.stop();
    })());
  return { url: http.url, services, http, stop };
}
