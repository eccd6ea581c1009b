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
});

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  http: { host: string; port: number; shutdownTimeoutMs: number };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  database: { uri?: string; mode: 'auto' | 'standin' | 'memory-server'; fallbackTimeoutMs: number };
  auth: { jwtSecret?: string; tokenTtlSeconds: number; adminUsers: readonly string[] };
  worker: { enabled: boolean };
}>;

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
    const shown = raw === undefined ? '' : ` (got ${JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw)})`;
    throw new ConfigError(`Invalid configuration: ${variable} ${issue.message}${shown}`);
  }
  const e = parsed.data;
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
  });
}
