import mongoose from 'mongoose';
import { createApp } from './app';
import { createTokenService } from '../lib/auth/tokens';
import { startBackgroundWork, type BackgroundWork } from './background';
import { systemClock, type Clock } from '../lib/clock';
import type { Config } from './config';
import { resolveDatabase, type ResolvedDatabase } from './database';
import { listen, type RunningHttpServer } from './httpServer';
import type { Logger } from '../lib/logger';
import { connectMongo, pingMongo } from './mongo';
import { ReadCache } from './readCache';
import { Readiness } from '../lib/readiness';
import { allRouters } from './routers';
import { buildRewardPolicy } from '../domain/rewards';
import type { Services } from './services';
import { startChain, type ChainRuntime } from './chainRuntime';
import { DEVNET_RECORD_COLLECTION, type DevnetRecord } from './embeddedDevnet';
import { payoutReadiness } from '../commands/payouts/payoutState';
import { runDataMigrations } from '../commands/migrations/dataMigrations';
import { createRateLimits } from './http/rateLimits';
import { closeRenderPool, configureRendering } from '../commands/rendering/renderPool';
import { configureVoteBatching } from '../commands/votes/castVote';
import { seedDemo } from '../commands/seed/demoSeed';

export interface RunningPlatform {
  /** The API's URL, when this process serves HTTP. */
  url?: string;
  services: Services;
  /** Graceful: stop accepting, finish in-flight requests, stop background work, close the database. */
  stop(): Promise<void>;
}

export interface PlatformOptions {
  clock?: Clock;
  /** Serve the HTTP API (npm start) or only run background work (npm run worker). */
  role: 'api' | 'worker';
  /** Load the demo site into an empty development database before serving (`npm start -- --seed`). */
  seed?: boolean;
}

/** Starts Inkwell from a Config: database, then the HTTP API and/or the background processors. */
export async function startPlatform(config: Config, logger: Logger, options: PlatformOptions): Promise<RunningPlatform> {
  const database: ResolvedDatabase = await resolveDatabase({
    mongodbUri: config.database.uri,
    mode: config.database.mode,
    memoryServerTimeoutMs: config.database.fallbackTimeoutMs,
    logger,
  });
  // The URI of an embedded database is logged so `MONGODB_URI=<uri> npm run worker` can join it.
  logger.info({ backend: database.backend, ...(database.backend === 'MONGODB_URI' ? {} : { uri: database.uri }) }, `database: ${database.label}`);
  try {
    await connectMongo(database.uri);
  } catch (error) {
    await database.stop();
    throw error;
  }

  let chain: ChainRuntime;
  try {
    // Every process on one database uses one chain: without STEEM_NODES, the devnet one of them embeds.
    chain = await startChain(config, logger, { role: options.role, devnetRecords: mongoose.connection.db!.collection<DevnetRecord>(DEVNET_RECORD_COLLECTION) });
  } catch (error) {
    await mongoose.disconnect();
    await database.stop();
    throw error;
  }
  const services = buildServices(config, logger, options.clock ?? systemClock);
  configureRendering(config.render);
  configureVoteBatching(config.voteBatching);
  services.chain = chain.client;
  services.treasury = chain.treasury;
  services.readiness.register('database', async () => ({ ok: await pingMongo().catch(() => false) }));
  services.readiness.register('chain', async () => {
    const properties = await chain.client.getDynamicGlobalProperties();
    return { ok: true, detail: `head block ${properties.head_block_number}` };
  });

  services.readiness.register('payouts', payoutReadiness);
  const migrated = await runDataMigrations({ payoutWindowSeconds: services.policy.payoutWindowSeconds });
  if (migrated.length > 0) logger.info({ migrations: migrated }, `data migrations applied: ${migrated.join(', ')}`);
  if (options.seed) {
    const seeded = await seedDemo({ env: config.env, policy: services.policy, now: services.clock.now() });
    if (seeded.seeded) logger.info(seeded, `demo content loaded: ${seeded.users} users, ${seeded.articles} articles, ${seeded.comments} comments, ${seeded.votes} votes`);
    else logger.warn({ reason: seeded.reason }, `demo content not loaded: ${seeded.reason}`);
  }

  let http: RunningHttpServer | undefined;
  if (options.role === 'api') {
    await services.rateLimits.ready();
    const app = createApp({
      logger,
      routers: allRouters(services),
      readCache: services.readCache,
      rateLimits: services.rateLimits,
      proxy: { trust: config.http.trustProxy, hops: config.http.proxyHops },
      cors: config.cors,
      tokens: services.tokens,
    });
    http = await listen(app, config.http);
    const where = addresses(http.url, chain.devnetUrl);
    logger.info(where, `Inkwell API listening on ${http.url}: site ${where.site} · API ${where.api} · API reference ${where.docs}${where.devnet ? ` · devnet ${where.devnet}` : ''}`);
  }
  const background: BackgroundWork | undefined =
    options.role === 'worker' || config.worker.enabled ? startBackgroundWork(services) : undefined;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await http?.close(config.http.shutdownTimeoutMs);
      await background?.stop();
      await closeRenderPool();
      await chain.stop();
      await mongoose.disconnect();
      await database.stop();
    })());
  return { url: http?.url, services, stop };
}

/** Where a newcomer looks first: the site, the API, its reference page, and the local devnet when it runs. */
export function addresses(url: string, devnetUrl?: string): { url: string; site: string; api: string; docs: string; devnet?: string } {
  return { url, site: `${url}/`, api: `${url}/api`, docs: `${url}/api/docs`, ...(devnetUrl ? { devnet: devnetUrl } : {}) };
}

export function buildServices(config: Config, logger: Logger, clock: Clock): Services {
  if (!config.auth.jwtSecret) logger.warn('JWT_SECRET is not set: using a random secret, so tokens end when this process does');
  if (!config.rateLimits.enabled) logger.warn('RATE_LIMIT=off: no rate limits (for benchmarks and load tests only, never in production)');
  else if (config.rateLimits.store === 'memory') logger.warn('RATE_LIMIT_STORE=memory: limits are counted per process, so each API process allows the full limits');
  const tokens = createTokenService(config.auth.jwtSecret, config.auth.tokenTtlSeconds);
  return {
    config,
    clock,
    logger,
    readiness: new Readiness(),
    tokens,
    readCache: new ReadCache(clock, config.readCache),
    rateLimits: createRateLimits({ settings: config.rateLimits, connection: mongoose.connection, tokens, logger }),
    policy: buildRewardPolicy({
      payoutWindowSeconds: config.rewards.payoutWindowSeconds,
      rewardFundPerDay: config.rewards.rewardFundPerDay,
      baseStakeVests: config.rewards.baseStakeVests,
    }),
  };
}
