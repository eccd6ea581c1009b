import { TagModel } from '../../models/tag';

/** Keeps per-tag article counts for GET /api/tags (most used first) without scanning articles. */
export async function adjustTagCounts(added: readonly string[], removed: readonly string[]): Promise<void> {
  const operations = [
    ...added.map((tag) => ({ updateOne: { filter: { _id: tag }, update: { $inc: { count: 1 } }, upsert: true } })),
    ...removed.map((tag) => ({ updateOne: { filter: { _id: tag }, update: { $inc: { count: -1 } } } })),
  ];
  if (operations.length > 0) await TagModel.bulkWrite(operations, { ordered: false });
}

export async function popularTags(limit: number): Promise<string[]> {
  const tags = await TagModel.find({ count: { $gt: 0 } }, { _id: 1 }).sort({ count: -1, _id: 1 }).limit(limit).lean();
  return tags.map((tag) => tag._id);
}
