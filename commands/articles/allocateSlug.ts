import { randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import { slugCandidate, slugify } from '../../domain/articles/slug';
import { ArticleModel } from '../../models/article';
import { SlugModel } from '../../models/slug';
import { isDuplicateKeyError } from '../duplicateKey';

const MAX_ATTEMPTS = 6;

/**
 * Reserves `slug` for `article` for good: true when the slug is now (or already was) this article's,
 * false when another article holds or has ever held it. The reservation's unique `_id` decides, so
 * of two concurrent claims exactly one wins; claiming a slug the article already reserved (a retry,
 * or a title changed back) succeeds again. Articles written before reservations existed are checked
 * too (their current and previous slugs), and their reservation is written on the way.
 */
export async function reserveSlug(slug: string, article: Types.ObjectId): Promise<boolean> {
  try {
    await SlugModel.create({ _id: slug, article });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const holder = await SlugModel.findById(slug, { article: 1 }).lean();
    return holder !== null && holder.article.equals(article);
  }
  const earlier = await ArticleModel.findOne({ $or: [{ slug }, { previousSlugs: slug }], _id: { $ne: article } }, { _id: 1 }).lean();
  if (earlier === null) return true;
  // An article from before reservations holds it: the reservation is that article's.
  await SlugModel.updateOne({ _id: slug, article }, { $set: { article: earlier._id } });
  return false;
}

/**
 * Runs `write(slug)` for `article` with the title's slug, then with random suffixes, each first
 * reserved for the article (`reserveSlug`), so no article ever takes a slug another article has held:
 * old slugs keep resolving to their article. No multi-document transaction: the reservation is
 * written first and kept whether or not the write then succeeds, except when the write definitely
 * did not happen (a unique index refused it), so a retried write finds its slug reserved already.
 */
export async function withFreshSlug<T>(title: string, article: Types.ObjectId, write: (slug: string) => Promise<T>): Promise<T> {
  const base = slugify(title);
  for (let attempt = 0; ; attempt += 1) {
    const slug = slugCandidate(base, attempt, () => randomBytes(4).toString('hex'));
    if (!(await reserveSlug(slug, article))) {
      if (attempt + 1 >= MAX_ATTEMPTS) throw new Error(`no free slug for "${base}" after ${MAX_ATTEMPTS} attempts`);
      continue;
    }
    try {
      return await write(slug);
    } catch (error) {
      const slugTaken = isDuplicateKeyError(error) && Object.keys(error.keyPattern ?? { slug: 1 })[0] === 'slug';
      if (isDuplicateKeyError(error)) await (slugTaken ? handToHolder(slug, article) : releaseSlug(slug, article));
      if (!slugTaken || attempt + 1 >= MAX_ATTEMPTS) throw error;
    }
  }
}

/** The articles' unique slug index says another article holds the slug (written without a reservation): the reservation is its. */
async function handToHolder(slug: string, article: Types.ObjectId): Promise<void> {
  const holder = await ArticleModel.findOne({ slug }, { _id: 1 }).lean();
  if (holder && !holder._id.equals(article)) await SlugModel.updateOne({ _id: slug, article }, { $set: { article: holder._id } });
}

/** Gives back a reservation whose article was never written (only then: a slug once held stays held). */
async function releaseSlug(slug: string, article: Types.ObjectId): Promise<void> {
  if (await ArticleModel.exists({ _id: article })) return;
  await SlugModel.deleteOne({ _id: slug, article });
}
