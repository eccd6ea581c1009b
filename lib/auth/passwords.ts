import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { Sema } from 'async-sema';

/** scrypt (memory-hard) parameters; stored with each hash so they can be raised later. */
const PARAMETERS = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

/**
 * A stored-hash-shaped value with the current parameters, a random salt and a random key no password
 * derives: a login for an unknown email (or an account whose hash is unreadable) is checked against
 * it, so that it costs one scrypt like any other login and its timing does not tell whether the email
 * is registered.
 */
const DUMMY_HASH = ['scrypt', PARAMETERS.N, PARAMETERS.r, PARAMETERS.p, randomBytes(16).toString('base64'), randomBytes(KEY_LENGTH).toString('base64')].join('$');

let derivations = 0;

/** How many scrypt key derivations this process has run (observable by tests: every login runs one). */
export function passwordDerivations(): number {
  return derivations;
}

/**
 * Derivations run one at a time. Each takes 128 × N × r bytes (16 MiB with the current parameters)
 * and most of a core for tens of milliseconds; libuv would run four at once, so a burst of logins
 * from many addresses would add 64 MiB to the process. One at a time keeps that to 16 MiB; logins
 * queue instead (each address and account is rate-limited before it gets here).
 */
const DERIVATIONS_AT_ONCE = 1;
const derivationSlots = new Sema(DERIVATIONS_AT_ONCE);
let inFlight = 0;
let mostInFlight = 0;

/** The most derivations this process has had running at the same moment (observable by tests). */
export function mostConcurrentPasswordDerivations(): number {
  return mostInFlight;
}

async function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  derivations += 1;
  await derivationSlots.acquire();
  inFlight += 1;
  mostInFlight = Math.max(mostInFlight, inFlight);
  try {
    return await new Promise<Buffer>((resolve, reject) =>
      scryptCallback(password, salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key))),
    );
  } finally {
    inFlight -= 1;
    derivationSlots.release();
  }
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, PARAMETERS);
  return ['scrypt', PARAMETERS.N, PARAMETERS.r, PARAMETERS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/**
 * Whether `password` matches `stored`. Always runs one scrypt: with no stored hash (unknown email) or
 * an unreadable one, the password is checked against a dummy hash with the current parameters and
 * the answer is false.
 */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const parsed = parseHash(stored) ?? parseHash(DUMMY_HASH)!;
  const actual = await scrypt(password, parsed.salt, parsed.options);
  const matches = actual.length === parsed.key.length && timingSafeEqual(actual, parsed.key);
  return matches && parsed.real;
}

function parseHash(stored: string | null | undefined): { salt: Buffer; key: Buffer; options: ScryptOptions; real: boolean } | null {
  if (!stored) return null;
  const [scheme, n, r, p, salt, key] = stored.split('$');
  const options = { N: Number(n), r: Number(r), p: Number(p) };
  if (scheme !== 'scrypt' || !salt || !key || !Object.values(options).every((v) => Number.isSafeInteger(v) && v > 0)) return null;
  return { salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64'), options, real: stored !== DUMMY_HASH };
}
