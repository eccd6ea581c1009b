import { existsSync } from 'node:fs';
import path from 'node:path';

/** ../shared beside the project root: present on the team's machines and in CI, absent in a user's clone. */
export const SHARED_DIR = path.resolve(__dirname, '../../../shared');

export function sharedPath(...parts: string[]): string | undefined {
  const full = path.join(SHARED_DIR, ...parts);
  return existsSync(full) ? full : undefined;
}
