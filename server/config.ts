import { z } from 'zod';

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
  ADMIN_USERS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((name) => name.trim().toLowerCase())
        .filter(Boolean),
    ),
  WORKER: booleanFlag.default(true),
  STEEM_NODES: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((url) => url.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/, message: 'must be comma-separated http(s) URLs' }))),
  STEEM_CHAIN_ID: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex characters').default('0'.repeat(64)),
  STEEM_ADDRESS_PREFIX: z.string().regex(/^[A-Z]{3}$/, 'must be three capital letters such as STM').default('STM'),
  STEEM_TIMEOUT_MS: positiveInt.default(10000),
  TREASURY_ACCOUNT: optionalString.pipe(z.string().regex(/^[a-z][a-z0-9.-]{2,15}$/, 'must be a Steem account name').optional()),
  TREASURY_ACTIVE_KEY: optionalString,
  TREASURY_ACTIVE_KEY_FILE: optionalString,
  DEVNET_PORT: port.default(8091),
  PAYOUT_WINDOW_SECONDS: positiveInt.default(604800),
  REWARD_FUND_PER_DAY: z.string().regex(/^\d{1,12}\.\d{3} STEEM$/, 'must be an amount like "100.000 STEEM"').default('100.000 STEEM'),
  PAYOUT_BATCH_SIZE: positiveInt.max(10000).default(2000),
  PAYOUT_SETTLE_DELAY_SECONDS: z.coerce.number().int().min(0).default(60),
  PAYOUT_TX_MAX_OPERATIONS: positiveInt.max(10000).default(500),
  PAYOUT_TX_MAX_BYTES: positiveInt.min(512).max(65280).default(65280),
  PAYOUT_TX_EXPIRATION_SECONDS: positiveInt.max(3600).default(120),
  PAYOUT_LEASE_SECONDS: positiveInt.default(30),
  PAYOUT_POLL_MS: positiveInt.default(500),
  BASE_STAKE_VESTS: z.string().regex(/^\d{1,15}\.\d{6}$/, 'must be a VESTS amount like "1000000.000000"').default('1000000.000000'),
  RENDER_TIMEOUT_MS: positiveInt.max(60000).default(2000),
  RENDER_THREADS: positiveInt.max(16).default(1),
  RENDER_QUEUE: z.coerce.number().int().min(0).max(1000).default(16),
});

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  http: { host: string; port: number; shutdownTimeoutMs: number };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  database: { uri?: string; mode: 'auto' | 'standin' | 'memory-server'; fallbackTimeoutMs: number };
  auth: { jwtSecret?: string; tokenTtlSeconds: number; adminUsers: readonly string[] };
  worker: { enabled: boolean };
  rewards: { payoutWindowSeconds: number; rewardFundPerDay: string; baseStakeVests: string };
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
}>;

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
  if (e.STEEM_NODES.length > 0 && (!e.TREASURY_ACCOUNT || (!e.TREASURY_ACTIVE_KEY && !e.TREASURY_ACTIVE_KEY_FILE))) {
    throw new ConfigError('Invalid configuration: STEEM_NODES needs TREASURY_ACCOUNT and TREASURY_ACTIVE_KEY or TREASURY_ACTIVE_KEY_FILE');
  }
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET) {
    throw new ConfigError('Invalid configuration: JWT_SECRET is required when NODE_ENV=production');
  }
  return Object.freeze({
    env: e.NODE_ENV,
    http: { host: e.HOST, port: e.PORT, shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS },
    logLevel: e.LOG_LEVEL,
    database: { uri: e.MONGODB_URI, mode: e.INKWELL_DB, fallbackTimeoutMs: e.DB_FALLBACK_TIMEOUT_MS },
    auth: { jwtSecret: e.JWT_SECRET, tokenTtlSeconds: e.JWT_TTL_SECONDS, adminUsers: e.ADMIN_USERS },
    worker: { enabled: e.WORKER },
    rewards: { payoutWindowSeconds: e.PAYOUT_WINDOW_SECONDS, rewardFundPerDay: e.REWARD_FUND_PER_DAY, baseStakeVests: `${e.BASE_STAKE_VESTS} VESTS` },
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
  });
}
