import type { Collection, Document, Filter } from 'mongodb';
import type { Types } from 'mongoose';
import { ArticleModel } from '../../models/article';
import { AuthorArticleCountModel } from '../../models/authorArticleCount';
import { TagModel } from '../../models/tag';

/**
 * Stored article counts, per tag and per author (docs/architecture.md, "Stored counts"): lists read
 * their `articlesCount` from these instead of counting every matching article, and GET /api/tags
 * ranks tags by them.
 */

/** Keeps per-tag article counts as an article's tags are set, changed or dropped. */
export async function adjustTagCounts(added: readonly string[], removed: readonly string[]): Promise<void> {
  const operations = [
    ...added.map((tag) => ({ updateOne: { filter: { _id: tag }, update: { $inc: { count: 1 } }, upsert: true } })),
    ...removed.map((tag) => ({ updateOne: { filter: { _id: tag }, update: { $inc: { count: -1 } } } })),
  ];
  if (operations.length > 0) await TagModel.bulkWrite(operations, { ordered: false });
}

/** One more (or one fewer) article by `author`. */
export async function adjustAuthorCount(author: Types.ObjectId, change: 1 | -1): Promise<void> {
  await AuthorArticleCountModel.updateOne({ _id: author }, { $inc: { count: change } }, { upsert: change > 0 });
}

export async function popularTags(limit: number): Promise<string[]> {
  const tags = await TagModel.find({ count: { $gt: 0 } }, { _id: 1 }).sort({ count: -1, _id: 1 }).limit(limit).lean();
  return tags.map((tag) => tag._id);
}

export async function tagArticleCount(tag: string): Promise<number> {
  return Math.max(0, (await TagModel.findById(tag, { count: 1 }).lean())?.count ?? 0);
}

/** The articles of all these authors together (each author once). */
export async function authorsArticleCount(authors: readonly Types.ObjectId[]): Promise<number> {
  if (authors.length === 0) return 0;
  const counts = await AuthorArticleCountModel.find({ _id: { $in: authors } }, { count: 1 }).lean();
  return counts.reduce((sum, entry) => sum + Math.max(0, entry.count), 0);
}

/**
 * Counts every tag's and every author's articles from the articles themselves and stores the result:
 * the data migration that introduced author counts runs it, and `npm run admin -- recount` repairs
 * counts left behind by a process that stopped between writing an article and its counts.
 */
export async function recountArticles(): Promise<{ tags: number; authors: number }> {
  const [byTag, byAuthor] = await Promise.all([
    ArticleModel.aggregate<{ _id: string; count: number }>([{ $project: { _id: 0, tagList: 1 } }, { $unwind: '$tagList' }, { $group: { _id: '$tagList', count: { $sum: 1 } } }]),
    ArticleModel.aggregate<{ _id: Types.ObjectId; count: number }>([{ $project: { _id: 0, author: 1 } }, { $group: { _id: '$author', count: { $sum: 1 } } }]),
  ]);
  await Promise.all([
    storeCounts(TagModel.collection, byTag),
    storeCounts(AuthorArticleCountModel.collection, byAuthor),
  ]);
  return { tags: byTag.length, authors: byAuthor.length };
}

const BATCH = 1000;

/** Sets each counted entry and zeroes the stored entries no article counts any more. */
async function storeCounts(collection: Collection, counted: readonly { _id: string | Types.ObjectId; count: number }[]): Promise<void> {
  for (let start = 0; start < counted.length; start += BATCH) {
    const operations = counted.slice(start, start + BATCH).map((entry) => ({ updateOne: { filter: { _id: entry._id } as Filter<Document>, update: { $set: { count: entry.count } }, upsert: true } }));
    await collection.bulkWrite(operations, { ordered: false });
  }
  const countedIds = new Set(counted.map((entry) => String(entry._id)));
  const stale = (await collection.find({ count: { $ne: 0 } }, { projection: { _id: 1 } }).toArray()).map((entry) => entry._id).filter((id) => !countedIds.has(String(id)));
  for (let start = 0; start < stale.length; start += BATCH) await collection.updateMany({ _id: { $in: stale.slice(start, start + BATCH) } }, { $set: { count: 0 } });
}
