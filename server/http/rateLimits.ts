import { createHash } from 'node:crypto';
import type { Middleware, ParameterizedContext } from 'koa';
import type { Connection } from 'mongoose';
import { RateLimiterMemory, RateLimiterMongo, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimitSettings } from '../config';
import { AppError, TooManyRequests } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type { TokenService } from '../../lib/auth/tokens';

/**
 * Rate limits, counted with rate-limiter-flexible: in the app's MongoDB database (`RateLimiterMongo`
 * on the mongoose connection, so every API process shares the counts; a per-process memory limiter
 * takes over while the database does not answer) or per process (`RateLimiterMemory`).
 *
 * - every request: per IP (`requestsPerIp` a minute), counted in each process's memory;
 * - every POST/PUT/PATCH/DELETE: per IP (`writesPerIp` a minute) and, when it carries a valid
 *   token, per account (`writesPerAccount` a minute);
 * - votes and favorites: per account (`votesPerAccount` a minute);
 * - `POST /api/preview`: per IP (`previewsPerIp` a minute);
 * - `POST /api/users`: per IP (`signupsPerIp` an hour);
 * - `POST /api/users/login`: rate-limiter-flexible's brute-force pattern. Failed logins are counted per
 *   IP (`loginFailsPerIp` a day, then the IP is blocked for a day) and per email and IP; after
 *   `loginFailsPerAccount` consecutive failures the email is blocked from that IP for
 *   `loginDelaySeconds`, and every further failure doubles the block up to `loginMaxDelaySeconds`. A
 *   successful login clears the email-and-IP count. While blocked, even the right password is refused.
 *
 * A limited request is answered 429 with `Retry-After` and the RealWorld error shape.
 */
export interface RateLimits {
  /** Every request per IP, and writes per IP and per account. Runs before the cached reads. */
  requests: Middleware;
  /**
   * Counts a read answered before Koa runs (server/http/cachedAnswers.ts) against the same per-IP
   * limit as `requests`; false when the address is over it (the request then goes through `requests`,
   * which answers 429). Absent when limits are off.
   */
  countRead?: (ip: string) => Promise<boolean>;
  /** After authentication (`ctx.state.viewerId` or `ctx.state.viewer`). */
  votes: Middleware;
  preview: Middleware;
  signup: Middleware;
  /** Around the login route: refuses while blocked, counts 401s, clears on success. */
  login: Middleware;
  /** Creates the store's indexes (Mongo); resolves at once for memory or when limits are off. */
  ready(): Promise<void>;
}

export interface RateLimitDependencies {
  settings: RateLimitSettings;
  /** The app's database connection, for the `mongo` store. */
  connection?: Connection;
  tokens: TokenService;
  logger: Logger;
}

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;
/** Consecutive login failures are remembered this long after the last one. */
const LOGIN_FAILURE_MEMORY_SECONDS = DAY;
/** All limiters share one collection; their key prefixes keep them apart. */
const COLLECTION = 'rate_limits';

const passThrough: Middleware = (_ctx, next) => next();

export const noRateLimits: RateLimits = {
  requests: passThrough,
  votes: passThrough,
  preview: passThrough,
  signup: passThrough,
  login: passThrough,
  ready: async () => {},
};

interface LimiterOptions {
  keyPrefix: string;
  points: number;
  duration: number;
  blockDuration?: number;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const TOKEN = /^(?:Token|Bearer)\s+(\S+)$/i;

export function createRateLimits({ settings, connection, tokens, logger }: RateLimitDependencies): RateLimits {
  if (!settings.enabled) return noRateLimits;
  const log = logger.child({ component: 'rate-limits' });
  const mongo = settings.store === 'mongo';
  if (mongo && !connection) throw new Error('RATE_LIMIT_STORE=mongo needs the database connection');

  const limiter = (options: LimiterOptions): RateLimiterAbstract => {
    if (!mongo) return new RateLimiterMemory(options);
    return new RateLimiterMongo({
      ...options,
      storeClient: connection,
      tableName: COLLECTION,
      disableIndexesCreation: true,
      // Once a key is over its limit, further requests are refused from memory until the window ends
      // instead of each costing a database write (a flood from one address stays cheap).
      ...(options.blockDuration ? {} : { inMemoryBlockOnConsumed: options.points + 1 }),
      // While the database does not answer, each process counts on its own rather than failing requests.
      insuranceLimiter: new RateLimiterMemory(options),
    });
  };

  // The flood guard on every request is counted in each process's memory whatever the store: it must
  // not put a database round trip in front of every (cached) read. Measured on the stand-in, cached
  // article lists went from about 3,500 to 800 requests/s with it in Mongo. Everything else is shared.
  const requestsByIp = new RateLimiterMemory({ keyPrefix: 'requests_ip', points: settings.requestsPerIp, duration: MINUTE });
  const writesByIp = limiter({ keyPrefix: 'writes_ip', points: settings.writesPerIp, duration: MINUTE });
  const writesByAccount = limiter({ keyPrefix: 'writes_account', points: settings.writesPerAccount, duration: MINUTE });
  const votesByAccount = limiter({ keyPrefix: 'votes_account', points: settings.votesPerAccount, duration: MINUTE });
  const previewsByIp = limiter({ keyPrefix: 'previews_ip', points: settings.previewsPerIp, duration: MINUTE });
  const signupsByIp = limiter({ keyPrefix: 'signups_ip', points: settings.signupsPerIp, duration: HOUR });
  const loginFailsByIp = limiter({ keyPrefix: 'login_fails_ip', points: settings.loginFailsPerIp, duration: DAY, blockDuration: DAY });
  // The library's escalation pattern: a counter of consecutive failures, and a separate key blocked
  // with `block()` for a duration that grows with the count.
  const loginFailsByAccountIp = limiter({ keyPrefix: 'login_fails_account_ip', points: Number.MAX_SAFE_INTEGER, duration: LOGIN_FAILURE_MEMORY_SECONDS });
  const loginBlockByAccountIp = limiter({ keyPrefix: 'login_block_account_ip', points: 1, duration: settings.loginMaxDelaySeconds });

  /** Consumes a point; a rejection with a RateLimiterRes is the limit, anything else a store failure. */
  const consume = async (rateLimiter: RateLimiterAbstract, key: string, what: string) => {
    try {
      await rateLimiter.consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw new TooManyRequests(what, rejection.msBeforeNext);
      throw rejection;
    }
  };

  /** The time left on a blocked key, or 0. */
  const blockedFor = async (rateLimiter: RateLimiterAbstract, key: string) => {
    const res = await rateLimiter.get(key);
    return res && res.consumedPoints > rateLimiter.points && res.msBeforeNext > 0 ? res.msBeforeNext : 0;
  };

  const accountOf = (ctx: ParameterizedContext): string | undefined => {
    const match = TOKEN.exec(ctx.get('Authorization').trim());
    return (match && tokens.verify(match[1]!)) || undefined;
  };

  const requests: Middleware = async (ctx, next) => {
    await consume(requestsByIp, ctx.ip, 'requests');
    if (WRITE_METHODS.has(ctx.method)) {
      await consume(writesByIp, ctx.ip, 'writes');
      const account = accountOf(ctx);
      if (account) await consume(writesByAccount, account, 'writes');
    }
    await next();
  };

  const votes: Middleware = async (ctx, next) => {
    const state = ctx.state as { viewerId?: { toString(): string }; viewer?: { _id: { toString(): string } } };
    const account = (state.viewerId ?? state.viewer?._id)?.toString();
    if (account) await consume(votesByAccount, account, 'votes');
    await next();
  };

  const login: Middleware = async (ctx, next) => {
    const email = (ctx.request.body as { user?: { email?: unknown } } | undefined)?.user?.email;
    // Hashed: the key is bounded whatever was sent, and no address is kept in the limits collection.
    const accountIp = typeof email === 'string' ? `${digest(email.trim().toLowerCase())}:${ctx.ip}` : undefined;
    const [ipBlock, accountBlock] = await Promise.all([
      blockedFor(loginFailsByIp, ctx.ip),
      accountIp ? blockedFor(loginBlockByAccountIp, accountIp) : 0,
    ]);
    const wait = Math.max(ipBlock, accountBlock);
    if (wait > 0) throw new TooManyRequests('login attempts', wait);
    try {
      await next();
    } catch (error) {
      if (!(error instanceof AppError) || error.kind !== 'unauthorized') throw error;
      await loginFailed(ctx.ip, accountIp);
      throw error;
    }
    if (accountIp && ctx.status < 300) await loginFailsByAccountIp.delete(accountIp);
  };

  /** Counts a failed login; answers 429 at once when this failure starts a block. */
  const loginFailed = async (ip: string, accountIp: string | undefined) => {
    const [byIp, byAccountIp] = await Promise.all([
      loginFailsByIp.consume(ip).catch((rejection: unknown) => {
        if (rejection instanceof RateLimiterRes) return rejection;
        throw rejection;
      }),
      accountIp ? loginFailsByAccountIp.penalty(accountIp) : undefined,
    ]);
    let wait = byIp.consumedPoints > loginFailsByIp.points ? byIp.msBeforeNext : 0;
    if (accountIp && byAccountIp && byAccountIp.consumedPoints >= settings.loginFailsPerAccount) {
      const doublings = byAccountIp.consumedPoints - settings.loginFailsPerAccount;
      const seconds = Math.min(settings.loginDelaySeconds * 2 ** Math.min(doublings, 30), settings.loginMaxDelaySeconds);
      await loginBlockByAccountIp.block(accountIp, seconds);
      wait = Math.max(wait, seconds * 1000);
      log.info({ ip, failures: byAccountIp.consumedPoints, blockSeconds: seconds }, 'login blocked after consecutive failures');
    }
    if (wait > 0) throw new TooManyRequests('login attempts', wait);
  };

  const countRead = (ip: string) =>
    requestsByIp.consume(ip).then(
      () => true,
      (rejection: unknown) => {
        if (rejection instanceof RateLimiterRes) return false;
        throw rejection;
      },
    );

  return {
    requests,
    countRead,
    votes,
    preview: async (ctx, next) => {
      await consume(previewsByIp, ctx.ip, 'previews');
      await next();
    },
    signup: async (ctx, next) => {
      await consume(signupsByIp, ctx.ip, 'sign-ups');
      await next();
    },
    login,
    ready: async () => {
      if (mongo) await (writesByIp as RateLimiterMongo).createIndexes();
    },
  };
}

const digest = (text: string) => createHash('sha256').update(text).digest('base64url');
