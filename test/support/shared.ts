import { existsSync } from 'node:fs';
import path from 'node:path';

/** ../shared beside the project root: present on the team's machines and in CI, absent in a user's clone. */
export const SHARED_DIR = path.resolve(__dirname, '../../../shared');

/**
 * For a test whose input lives in ../shared and is absent: prints why and registers the test as
 * skipped (chosen at load time), so a clone without ../shared reports it skipped, never passed.
 */
export function skipWithoutShared(name: string, relative: string): void {
  // Straight to stderr: jest drops console output of a file whose tests are all skipped.
  process.stderr.write(`skipped: ${name}: ../shared/${relative} not found\n`);
  test.skip(`${name} (needs ../shared/${relative})`, () => undefined);
}

export function sharedPath(...parts: string[]): string | undefined {
  const full = path.join(SHARED_DIR, ...parts);
  return existsSync(full) ? full : undefined;
}
