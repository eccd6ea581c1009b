import { createSecretKey, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';

/** What a valid token says: whose it is, which of the user's session epochs it belongs to, and its id. */
export interface TokenSession {
  subject: string;
  /**
   * The user's `sessionEpoch` when the token was issued (claim `sep`; 0 for tokens issued before the
   * claim existed). A password change moves the user's epoch on, which ends every earlier token.
   */
  epoch: number;
  /** The token's own id (claim `jti`), revoked alone by a logout; absent in tokens issued before it existed. */
  jti?: string;
  /** Unix seconds. */
  expiresAt: number;
}

export interface TokenService {
  /** A token for the user, in the user's current session epoch. */
  issue(userId: string, epoch?: number): string;
  /** The user id in a valid, unexpired token; null for anything else. */
  verify(token: string): string | null;
  /**
   * The session a valid, unexpired token carries; null for anything else. Whether the session is
   * still current (not logged out, no password change since) is decided against the user's stored
   * session state (`sessionIsCurrent`), which every authenticated request reads.
   */
  verifySession(token: string): TokenSession | null;
  /** Now, in unix seconds, on the clock token expiry is judged by. */
  nowSeconds(): number;
}

const AUTHORIZATION_SCHEMES = /^(Token|Bearer)\s+(\S+)$/i;

/** The token in an `Authorization: Token <jwt>` (or `Bearer <jwt>`) header; undefined when the header is not one. */
export function tokenOfAuthorization(header: string): string | undefined {
  return AUTHORIZATION_SCHEMES.exec(header.trim())?.[2];
}

/** Tokens verified recently, kept so a client's next request skips the signature check. */
const VERIFIED_KEPT = 10_000;

/**
 * HS256 JWTs with an expiry, a session epoch and an id. Without a configured secret a random one lives
 * as long as the process. A token whose signature was checked once is remembered (bounded, least
 * recently used forgotten first) with its claims; its expiry is still checked on every use, against
 * the same clock jsonwebtoken uses, so a remembered token is accepted exactly when verifying it again
 * would accept it. The cache holds only what the signature proves; revocation is checked against the
 * database on every request, so a cached token is refused as soon as its session is ended.
 */
export function createTokenService(secret: string | undefined, ttlSeconds: number, now: () => number = Date.now): TokenService {
  // A prepared KeyObject: given a string, jsonwebtoken re-imports the key on every verify.
  const key = createSecretKey(secret ? Buffer.from(secret, 'utf8') : randomBytes(48));
  const verified = new LRUCache<string, TokenSession>({ max: VERIFIED_KEPT });
  const verifySession = (token: string): TokenSession | null => {
    const seconds = Math.floor(now() / 1000);
    const known = verified.get(token);
    if (known) return seconds < known.expiresAt ? known : null;
    try {
      const payload = jwt.verify(token, key, { algorithms: ['HS256'], clockTimestamp: seconds });
      if (typeof payload !== 'object' || typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return null;
      const epoch = payload.sep === undefined ? 0 : payload.sep;
      if (!Number.isSafeInteger(epoch) || epoch < 0) return null;
      if (payload.jti !== undefined && typeof payload.jti !== 'string') return null;
      const session: TokenSession = { subject: payload.sub, epoch, expiresAt: payload.exp, ...(payload.jti ? { jti: payload.jti } : {}) };
      verified.set(token, session);
      return session;
    } catch {
      return null;
    }
  };
  return {
    issue: (userId, epoch = 0) =>
      jwt.sign({ iat: Math.floor(now() / 1000), sep: epoch }, key, {
        algorithm: 'HS256',
        subject: userId,
        expiresIn: ttlSeconds,
        jwtid: randomBytes(16).toString('base64url'),
      }),
    verify: (token) => verifySession(token)?.subject ?? null,
    verifySession,
    nowSeconds: () => Math.floor(now() / 1000),
  };
}
