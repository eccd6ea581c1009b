import type { Config } from './config';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { Readiness } from '../lib/readiness';
import type { TokenService } from '../lib/auth/tokens';
import type { ReadCache } from './readCache';
import type { RateLimits } from './http/rateLimits';
import type { ChainClient, TreasuryKey } from '../chain';
import type { RewardPolicy } from '../domain/rewards';

/** What route handlers and commands may use; built once by the platform, replaced by fakes in tests. */
export interface Services {
  config: Config;
  clock: Clock;
  logger: Logger;
  readiness: Readiness;
  tokens: TokenService;
  readCache: ReadCache;
  /** Rate limits (RATE_LIMIT, RATE_LIMIT_STORE, ...); pass-through when RATE_LIMIT=off. */
  rateLimits: RateLimits;
  /** The reward policy in force (PAYOUT_WINDOW_SECONDS, REWARD_FUND_PER_DAY, BASE_STAKE_VESTS). */
  policy: RewardPolicy;
  /** The Steem chain; undefined only in tests that do not need it. */
  chain?: ChainClient;
  /** The treasury's active key (held in memory only; never logged or stored). */
  treasury?: TreasuryKey;
}
