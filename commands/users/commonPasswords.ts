import type { dictionary as Dictionary } from '@zxcvbn-ts/language-common';
import { PASSWORD_MIN_LENGTH } from './passwordRules';

let common: Set<string> | undefined;

/**
 * Whether a password is on zxcvbn's list of ~49,000 common passwords, without regard to case. The
 * list is loaded on first use (it costs about 14 MB of memory to load, and most processes never
 * register anyone) and only the entries a password of the allowed length could match are kept.
 */
export function isCommonPassword(password: string): boolean {
  if (!common) {
    // Loaded lazily on purpose (see above); the package has no side effects.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { dictionary } = require('@zxcvbn-ts/language-common') as { dictionary: typeof Dictionary };
    common = new Set(dictionary['passwords-common'].map((entry) => entry.toLowerCase()).filter((entry) => entry.length >= PASSWORD_MIN_LENGTH));
  }
  return common.has(password.toLowerCase());
}
