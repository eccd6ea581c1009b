import { randomBytes } from 'node:crypto';
import { slugCandidate, slugify } from '../../domain/articles/slug';
import { isDuplicateKeyError } from '../duplicateKey';

const MAX_ATTEMPTS = 6;

/**
 * Runs `write(slug)` with the title's slug, then with random suffixes while the unique slug index
 * reports a collision. The index, not a prior lookup, decides, so two concurrent posts with one
 * title both succeed with different slugs.
 */
export async function withFreshSlug<T>(title: string, write: (slug: string) => Promise<T>): Promise<T> {
  const base = slugify(title);
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await write(slugCandidate(base, attempt, () => randomBytes(4).toString('hex')));
    } catch (error) {
      const slugTaken = isDuplicateKeyError(error) && Object.keys(error.keyPattern ?? { slug: 1 })[0] === 'slug';
      if (!slugTaken || attempt + 1 >= MAX_ATTEMPTS) throw error;
    }
  }
}
