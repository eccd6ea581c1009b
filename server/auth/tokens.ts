import { createSecretKey, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';

export interface TokenService {
  issue(userId: string): string;
  /** The user id in a valid, unexpired token; null for anything else. */
  verify(token: string): string | null;
}

/** Tokens verified recently, kept so a client's next request skips the signature check. */
const VERIFIED_KEPT = 10_000;

/**
 * HS256 JWTs with an expiry. Without a configured secret a random one lives as long as the process.
 * A token whose signature was checked once is remembered (bounded, least recently used forgotten
 * first) with its subject and expiry; its expiry is still checked on every use, against the same
 * clock jsonwebtoken uses, so a remembered token is accepted exactly when verifying it again would
 * accept it.
 */
export function createTokenService(secret: string | undefined, ttlSeconds: number, now: () => number = Date.now): TokenService {
  // A prepared KeyObject: given a string, jsonwebtoken re-imports the key on every verify.
  const key = createSecretKey(secret ? Buffer.from(secret, 'utf8') : randomBytes(48));
  const verified = new LRUCache<string, { subject: string; expiresAt: number }>({ max: VERIFIED_KEPT });
  return {
    issue: (userId) => jwt.sign({ iat: Math.floor(now() / 1000) }, key, { algorithm: 'HS256', subject: userId, expiresIn: ttlSeconds }),
    verify: (token) => {
      const seconds = Math.floor(now() / 1000);
      const known = verified.get(token);
      if (known) return seconds < known.expiresAt ? known.subject : null;
      try {
        const payload = jwt.verify(token, key, { algorithms: ['HS256'], clockTimestamp: seconds });
        if (typeof payload !== 'object' || typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return null;
        verified.set(token, { subject: payload.sub, expiresAt: payload.exp });
        return payload.sub;
      } catch {
        return null;
      }
    },
  };
}
