import { createSecretKey, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';

export interface TokenService {
  issue(userId: string): string;
  /** The user id in a valid, unexpired token; null for anything else. */
  verify(token: string): string | null;
}

/** HS256 JWTs with an expiry. Without a configured secret a random one lives as long as the process. */
export function createTokenService(secret: string | undefined, ttlSeconds: number): TokenService {
  // A prepared KeyObject: given a string, jsonwebtoken re-imports the key on every verify.
  const key = createSecretKey(secret ? Buffer.from(secret, 'utf8') : randomBytes(48));
  return {
    issue: (userId) => jwt.sign({}, key, { algorithm: 'HS256', subject: userId, expiresIn: ttlSeconds }),
    verify: (token) => {
      try {
        const payload = jwt.verify(token, key, { algorithms: ['HS256'] });
        return typeof payload === 'object' && typeof payload.sub === 'string' ? payload.sub : null;
      } catch {
        return null;
      }
    },
  };
}
