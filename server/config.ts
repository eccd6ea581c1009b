import { z } from 'zod';
import { parseCorsOrigins, type CorsSettings } from './http/cors';
import { ACCOUNT_NAME_MESSAGE, isValidSteemAccountName } from '../domain/accounts';
import { parseAmount, parseDecimalAmount } from '../domain/money';

/**
 * Every setting Inkwell reads, parsed once at start-up. Nothing else reads process.env.
 * README.md documents each variable; keep the two in step.
 */
const booleanFlag = z.enum(['on', 'off', 'true', 'false', '1', '0']).transform((v) => v === 'on' || v === 'true' || v === '1');
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
/** Whether `parse` accepts the text and gives an amount in 0..max (the money module's parsers; never floats). */
const amountWithin = (parse: (text: string) => bigint, max: bigint) => (text: string) => {
  try {
    const amount = parse(text);
    return amount >= 0n && amount <= max;
  } catch {
    return false;
  }
};

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MONGODB_URI: optionalString.pipe(z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional()),
  INKWELL_DB: z.enum(['auto', 'standin', 'memory-server']).default('auto'),
  DB_FALLBACK_TIMEOUT_MS: positiveInt.default(10000),
  JWT_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  JWT_TTL_SECONDS: positiveInt.default(7 * 24 * 3600),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10000),
  WORKER: booleanFlag.default(true),
  STEEM_NODES: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((url) => url.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/, message: 'must be comma-separated http(s) URLs' }))),
  STEEM_CHAIN_ID: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex characters').default('0'.repeat(64)),
  STEEM_ADDRESS_PREFIX: z.string().regex(/^[A-Z]{3}$/, 'must be three capital letters such as STM').default('STM'),
  STEEM_TIMEOUT_MS: positiveInt.default(10000),
  TREASURY_ACCOUNT: optionalString.pipe(z.string().refine(isValidSteemAccountName, ACCOUNT_NAME_MESSAGE).optional()),
  TREASURY_ACTIVE_KEY: optionalString,
  TREASURY_ACTIVE_KEY_FILE: optionalString,
  DEVNET_PORT: port.default(8091),
  PAYOUT_WINDOW_SECONDS: positiveInt.default(604800),
  REWARD_FUND_PER_DAY: z.string().refine(amountWithin((text) => parseAmount(text, 'STEEM'), 10n ** 15n - 1n), 'must be an amount like "100.000 STEEM"').default('100.000 STEEM'),
  PAYOUT_BATCH_SIZE: positiveInt.max(10000).default(2000),
  PAYOUT_SETTLE_DELAY_SECONDS: z.coerce.number().int().min(0).default(60),
  PAYOUT_TX_MAX_OPERATIONS: positiveInt.max(10000).default(500),
  PAYOUT_TX_MAX_BYTES: positiveInt.min(512).max(65280).default(65280),
  PAYOUT_TX_EXPIRATION_SECONDS: positiveInt.max(3600).default(120),
  PAYOUT_LEASE_SECONDS: positiveInt.default(30),
  PAYOUT_POLL_MS: positiveInt.default(500),
  BASE_STAKE_VESTS: z.string().refine(amountWithin((text) => parseDecimalAmount(text, 6), 10n ** 21n - 1n), 'must be a VESTS amount like "1000000.000000"').default('0.000000'),
  // Steem account links: how long after an unlink the account may be linked to another user, or the user to another account.
  STEEM_RELINK_COOLDOWN_SECONDS: z.coerce.number().int().min(0).max(10 * 365 * 86_400).optional(),
  // Abuse resistance: rate limits, the client address behind proxies, and the HTTP server's timeouts.
  RATE_LIMIT: booleanFlag.default(true),
  RATE_LIMIT_STORE: z.enum(['mongo', 'memory']).default('mongo'),
  TRUST_PROXY: booleanFlag.default(false),
  PROXY_HOPS: positiveInt.max(16).default(1),
  RATE_LIMIT_REQUESTS_PER_IP: positiveInt.default(1200),
  RATE_LIMIT_WRITES_PER_IP: positiveInt.default(300),
  RATE_LIMIT_WRITES_PER_ACCOUNT: positiveInt.default(120),
  RATE_LIMIT_VOTES_PER_ACCOUNT: positiveInt.default(60),
  RATE_LIMIT_PREVIEWS_PER_IP: positiveInt.default(60),
  RATE_LIMIT_SIGNUPS_PER_IP: positiveInt.default(10),
  RATE_LIMIT_LOGIN_FAILS_PER_IP: positiveInt.default(100),
  RATE_LIMIT_LOGIN_FAILS_PER_ACCOUNT: positiveInt.default(5),
  RATE_LIMIT_LOGIN_DELAY_SECONDS: positiveInt.default(30),
  RATE_LIMIT_LOGIN_MAX_DELAY_SECONDS: positiveInt.default(3600),
  HTTP_HEADERS_TIMEOUT_MS: positiveInt.default(10000),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt.default(30000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: positiveInt.default(5000),
  HTTP_MAX_HEADERS_COUNT: positiveInt.default(100),
  // Read cache (server/readCache.ts, README "Caching"): byte budget and freshness of anonymous reads.
  READ_CACHE_MAX_BYTES: z.coerce.number().int().min(0).max(1024 * 1024 * 1024).default(4 * 1024 * 1024),
  READ_CACHE_TTL_MS: positiveInt.max(60_000).default(1000),
  READ_CACHE_MAX_COMPUTING: positiveInt.max(64).default(4),
  // Markdown rendering off the event loop (commands/rendering/renderPool.ts).
  RENDER_TIMEOUT_MS: positiveInt.max(60000).default(2000),
  RENDER_THREADS: positiveInt.max(16).default(1),
  // Votes are taken in batches at most once per window (commands/votes/queue.ts).
  VOTE_BATCH_WINDOW_MS: z.coerce.number().int().min(0).max(1000).default(25),
  RENDER_QUEUE: z.coerce.number().int().min(0).max(1000).default(16),
  // CORS for front ends on other origins (server/http/cors.ts): `*` or comma-separated origins, and how long a preflight is cached.
  CORS_ORIGINS: z
    .string()
    .default('*')
    .transform((v, ctx) => {
      const origins = parseCorsOrigins(v);
      if (origins === undefined) {
        ctx.addIssue({ code: 'custom', message: 'must be * or comma-separated origins such as https://app.example (scheme, host and port only)' });
        return z.NEVER;
      }
      return origins;
    }),
  CORS_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
  // The site's public address (routes/site): canonical links, feeds and the sitemap name it.
  PUBLIC_URL: optionalString.pipe(
    z
      .string()
      .regex(/^https?:\/\/[^/?#\s]+$/, 'must be a scheme and host (and port) only, such as https://inkwell.example')
      .optional(),
  ),
  SITEMAP_PAGE_SIZE: positiveInt.max(50_000).default(50_000),
});

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  http: {
    host: string;
    port: number;
    shutdownTimeoutMs: number;
    /** Koa's `app.proxy`: the client address is taken from X-Forwarded-For, `proxyHops` entries from its right. */
    trustProxy: boolean;
    proxyHops: number;
    headersTimeoutMs: number;
    requestTimeoutMs: number;
    keepAliveTimeoutMs: number;
    maxHeadersCount: number;
  };
  rateLimits: RateLimitSettings;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  database: { uri?: string; mode: 'auto' | 'standin' | 'memory-server'; fallbackTimeoutMs: number };
  auth: { jwtSecret?: string; tokenTtlSeconds: number };
  worker: { enabled: boolean };
  /** Anonymous read cache: `maxBytes` 0 turns it off. */
  readCache: { maxBytes: number; ttlMs: number; maxComputing: number };
  rewards: { payoutWindowSeconds: number; rewardFundPerDay: string; baseStakeVests: string };
  /** Steem account links (STEEM_RELINK_COOLDOWN_SECONDS). */
  steemLinks: { relinkCooldownSeconds: number };
  payouts: {
    batchSize: number;
    delaySeconds: number;
    maxOperations: number;
    maxBytes: number;
    expirationSeconds: number;
    leaseMs: number;
    pollMs: number;
  };
  /** `nodes` empty: npm start runs the local devnet in-process (development default). */
  chain: {
    nodes: string[];
    chainId: string;
    addressPrefix: string;
    timeoutMs: number;
    treasuryAccount?: string;
    /** Never logged or stored; read from TREASURY_ACTIVE_KEY or the file TREASURY_ACTIVE_KEY_FILE names. */
    treasuryKey?: string;
    treasuryKeyFile?: string;
    devnetPort: number;
  };
  /** Markdown rendering on a worker-thread pool (commands/rendering/renderPool.ts). */
  render: { timeoutMs: number; threads: number; maxQueue: number };
  voteBatching: { windowMs: number };
  /** Origins allowed to call the API from a browser (`'*'`: any) and the preflight cache time. */
  cors: CorsSettings;
  /** PUBLIC_URL: the origin pages, feeds and the sitemap name; unset: the origin each request was made to. */
  site: { publicUrl: string | undefined; sitemapPageSize: number };
}>;

/** Limits per client address (IP) and per account; see server/http/rateLimits.ts. */
export interface RateLimitSettings {
  /** Off only for benchmarks and load tests, never in production. */
  enabled: boolean;
  /** `mongo`: counted in the app's database, shared by every API process; `memory`: per process. */
  store: 'mongo' | 'memory';
  /** Requests of any kind per IP per minute. */
  requestsPerIp: number;
  /** POST/PUT/PATCH/DELETE per IP per minute, and per account (token subject) per minute. */
  writesPerIp: number;
  writesPerAccount: number;
  /** Votes and favorites per account per minute. */
  votesPerAccount: number;
  /** POST /api/preview per IP per minute. */
  previewsPerIp: number;
  /** POST /api/users per IP per hour. */
  signupsPerIp: number;
  /** Failed logins per IP per day, then blocked for a day. */
  loginFailsPerIp: number;
  /** Consecutive failed logins per email and IP before the first delay; each further failure doubles it. */
  loginFailsPerAccount: number;
  loginDelaySeconds: number;
  loginMaxDelaySeconds: number;
}

/** Variables whose values never appear in an error line. */
const SECRET_VARIABLES = new Set(['JWT_SECRET', 'TREASURY_ACTIVE_KEY', 'MONGODB_URI']);

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment into a typed, frozen Config; throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const raw = env[variable];
    const shown =
      raw === undefined || SECRET_VARIABLES.has(variable) ? '' : ` (got ${JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw)})`;
    throw new ConfigError(`Invalid configuration: ${variable} ${issue.message}${shown}`);
  }
  const e = parsed.data;
  if (env.ADMIN_USERS !== undefined && env.ADMIN_USERS.trim() !== '') {
    // Administrators were once named here; a user could take such a name. Admin is now a stored role.
    throw new ConfigError('Invalid configuration: ADMIN_USERS is no longer read; grant the admin role with `npm run admin -- grant <username>` and unset it');
  }
  if (e.STEEM_NODES.length > 0 && (!e.TREASURY_ACCOUNT || (!e.TREASURY_ACTIVE_KEY && !e.TREASURY_ACTIVE_KEY_FILE))) {
    throw new ConfigError('Invalid configuration: STEEM_NODES needs TREASURY_ACCOUNT and TREASURY_ACTIVE_KEY or TREASURY_ACTIVE_KEY_FILE');
  }
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError('Invalid configuration: HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS');
  }
  if (e.RATE_LIMIT_LOGIN_DELAY_SECONDS > e.RATE_LIMIT_LOGIN_MAX_DELAY_SECONDS) {
    throw new ConfigError('Invalid configuration: RATE_LIMIT_LOGIN_DELAY_SECONDS must not exceed RATE_LIMIT_LOGIN_MAX_DELAY_SECONDS');
  }
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET) {
    throw new ConfigError('Invalid configuration: JWT_SECRET is required when NODE_ENV=production');
  }
  if (e.NODE_ENV === 'production' && !e.RATE_LIMIT) {
    throw new ConfigError('Invalid configuration: RATE_LIMIT=off is for benchmarks and load tests, never NODE_ENV=production');
  }
  return Object.freeze({
    env: e.NODE_ENV,
    http: {
      host: e.HOST,
      port: e.PORT,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
      trustProxy: e.TRUST_PROXY,
      proxyHops: e.PROXY_HOPS,
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxHeadersCount: e.HTTP_MAX_HEADERS_COUNT,
    },
    rateLimits: {
      enabled: e.RATE_LIMIT,
      store: e.RATE_LIMIT_STORE,
      requestsPerIp: e.RATE_LIMIT_REQUESTS_PER_IP,
      writesPerIp: e.RATE_LIMIT_WRITES_PER_IP,
      writesPerAccount: e.RATE_LIMIT_WRITES_PER_ACCOUNT,
      votesPerAccount: e.RATE_LIMIT_VOTES_PER_ACCOUNT,
      previewsPerIp: e.RATE_LIMIT_PREVIEWS_PER_IP,
      signupsPerIp: e.RATE_LIMIT_SIGNUPS_PER_IP,
      loginFailsPerIp: e.RATE_LIMIT_LOGIN_FAILS_PER_IP,
      loginFailsPerAccount: e.RATE_LIMIT_LOGIN_FAILS_PER_ACCOUNT,
      loginDelaySeconds: e.RATE_LIMIT_LOGIN_DELAY_SECONDS,
      loginMaxDelaySeconds: e.RATE_LIMIT_LOGIN_MAX_DELAY_SECONDS,
    },
    logLevel: e.LOG_LEVEL,
    database: { uri: e.MONGODB_URI, mode: e.INKWELL_DB, fallbackTimeoutMs: e.DB_FALLBACK_TIMEOUT_MS },
    auth: { jwtSecret: e.JWT_SECRET, tokenTtlSeconds: e.JWT_TTL_SECONDS },
    worker: { enabled: e.WORKER },
    readCache: { maxBytes: e.READ_CACHE_MAX_BYTES, ttlMs: e.READ_CACHE_TTL_MS, maxComputing: e.READ_CACHE_MAX_COMPUTING },
    rewards: { payoutWindowSeconds: e.PAYOUT_WINDOW_SECONDS, rewardFundPerDay: e.REWARD_FUND_PER_DAY, baseStakeVests: `${e.BASE_STAKE_VESTS} VESTS` },
    // At least a payout window by default: an account cannot vote one post through two users.
    steemLinks: { relinkCooldownSeconds: e.STEEM_RELINK_COOLDOWN_SECONDS ?? e.PAYOUT_WINDOW_SECONDS },
    payouts: {
      batchSize: e.PAYOUT_BATCH_SIZE,
      delaySeconds: e.PAYOUT_SETTLE_DELAY_SECONDS,
      maxOperations: e.PAYOUT_TX_MAX_OPERATIONS,
      maxBytes: e.PAYOUT_TX_MAX_BYTES,
      expirationSeconds: e.PAYOUT_TX_EXPIRATION_SECONDS,
      leaseMs: e.PAYOUT_LEASE_SECONDS * 1000,
      pollMs: e.PAYOUT_POLL_MS,
    },
    chain: {
      nodes: e.STEEM_NODES,
      chainId: e.STEEM_CHAIN_ID,
      addressPrefix: e.STEEM_ADDRESS_PREFIX,
      timeoutMs: e.STEEM_TIMEOUT_MS,
      treasuryAccount: e.TREASURY_ACCOUNT,
      treasuryKey: e.TREASURY_ACTIVE_KEY,
      treasuryKeyFile: e.TREASURY_ACTIVE_KEY_FILE,
      devnetPort: e.DEVNET_PORT,
    },
    render: { timeoutMs: e.RENDER_TIMEOUT_MS, threads: e.RENDER_THREADS, maxQueue: e.RENDER_QUEUE },
    voteBatching: { windowMs: e.VOTE_BATCH_WINDOW_MS },
    cors: { origins: e.CORS_ORIGINS, maxAgeSeconds: e.CORS_MAX_AGE_SECONDS },
    site: { publicUrl: e.PUBLIC_URL, sitemapPageSize: e.SITEMAP_PAGE_SIZE },
  });
}
