import type http from 'node:http';
import mongoose from 'mongoose';
import request from 'supertest';
import { createApp } from '../../server/app';
import { createTokenService } from '../../lib/auth/tokens';
import { ManualClock, type Clock } from '../../lib/clock';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../lib/logger';
import { connectMongo } from '../../server/mongo';
import { ReadCache } from '../../server/readCache';
import { Readiness } from '../../lib/readiness';
import { allRouters } from '../../server/routers';
import { buildRewardPolicy } from '../../domain/rewards';
import { createRateLimits } from '../../server/http/rateLimits';
import type { Services } from '../../server/services';
import { testMongoUri, uniqueDatabaseName } from './database';
import { closeRenderPool, configureRendering } from '../../commands/rendering/renderPool';
import { configureVoteBatching } from '../../commands/votes/castVote';
import { takeViolations, validatingAgent } from './openapiValidation';

/**
 * Every response a test receives through `startTestApi(...).http()` is checked against the OpenAPI
 * document (./openapiValidation.ts); a response that does not conform fails the test it came in.
 */
function failOnViolations(): void {
  const found = takeViolations();
  if (found.length > 0) throw new Error(`${found.length} response(s) do not conform to the OpenAPI document (routes/openapi):\n${found.join('\n')}`);
}
if (typeof afterEach === 'function') afterEach(failOnViolations);
if (typeof afterAll === 'function') afterAll(failOnViolations);

export interface TestApi {
  server: http.Server;
  services: Services;
  clock: ManualClock;
  http: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

/**
 * Settings the API tests run with unless a test overrides them: a base stake for accounts without a
 * linked Steem account (the production default is none), since most vote and payout tests vote with
 * fresh accounts. Pass `defaults: 'production'` to run with the real defaults (the security tests).
 * Rate limits are off either way unless a test passes `RATE_LIMIT: 'on'` (tests register many users
 * and write a lot from 127.0.0.1).
 */
export const TEST_ENV_DEFAULTS: Readonly<Record<string, string>> = { BASE_STAKE_VESTS: '1000000.000000' };

/** The real HTTP pipeline on a private database of the run's MongoDB server. */
export async function startTestApi(options: { env?: Record<string, string>; clock?: ManualClock; defaults?: 'test' | 'production' } = {}): Promise<TestApi> {
  await connectMongo(testMongoUri(), { dbName: uniqueDatabaseName('api') });
  const defaults = options.defaults === 'production' ? {} : TEST_ENV_DEFAULTS;
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', RATE_LIMIT: 'off', ...defaults, ...options.env });
  configureRendering(config.render);
  configureVoteBatching(config.voteBatching);
  const clock = options.clock ?? new ManualClock(new Date());
  const logger = createLogger('silent');
  const readiness = new Readiness();
  const tokens = createTokenService('test-secret-that-is-long-enough-for-hs256-keys', 3600);
  const rateLimits = createRateLimits({ settings: config.rateLimits, connection: mongoose.connection, tokens, logger });
  await rateLimits.ready();
  const services: Services = {
    config,
    clock: clock as Clock,
    logger,
    readiness,
    tokens,
    readCache: new ReadCache(clock),
    rateLimits,
    policy: buildRewardPolicy({
      payoutWindowSeconds: config.rewards.payoutWindowSeconds,
      rewardFundPerDay: config.rewards.rewardFundPerDay,
      baseStakeVests: config.rewards.baseStakeVests,
    }),
  };
  const app = createApp({
    logger,
    routers: allRouters(services),
    readCache: services.readCache,
    rateLimits,
    proxy: { trust: config.http.trustProxy, hops: config.http.proxyHops },
    cors: config.cors,
    tokens,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    server,
    services,
    clock,
    http: () => validatingAgent(request(server)),
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await closeRenderPool();
      await mongoose.connection.dropDatabase().catch(() => {});
      await mongoose.disconnect();
    },
  };
}

let userCounter = 0;

/** Registers a user through the API; returns its token and username. */
export async function registerUser(api: TestApi, name?: string): Promise<{ token: string; username: string; email: string }> {
  userCounter += 1;
  const username = name ?? `user${userCounter}_${Math.random().toString(36).slice(2, 8)}`;
  const email = `${username.toLowerCase()}@example.com`;
  const response = await api
    .http()
    .post('/api/users')
    .send({ user: { username, email, password: 'correct horse battery' } })
    .expect(201);
  return { token: response.body.user.token as string, username, email };
}

export const auth = (token: string) => ({ Authorization: `Token ${token}` });
