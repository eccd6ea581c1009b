import type { Types } from 'mongoose';
import { RevisionModel, type Revision } from '../../models/revision';
import { diffAgainstPrevious, type RevisionDiff } from '../../domain/revisions/diff';

export type StoredRevision = Revision & { _id: Types.ObjectId; createdAt: Date };
export type RevisionWithDiff = StoredRevision & RevisionDiff;

interface RevisionContent {
  title: string;
  description: string;
  body: string;
  tagList: string[];
}

/**
 * Records the article's content as revision `number` (idempotent: the pair is unique), with its
 * diff against the revision before. If that revision is not recorded yet (a concurrent edit), the
 * diff is left to the first read.
 */
export async function recordRevision(article: Types.ObjectId, number: number, editor: Types.ObjectId, content: RevisionContent): Promise<void> {
  const { title, description, body, tagList } = content;
  const current = { number, title, description, body, tagList };
  const previous = number > 1 ? await RevisionModel.findOne({ article, number: number - 1 }).lean<StoredRevision>() : undefined;
  const diff = number === 1 || previous ? diffAgainstPrevious(previous ?? undefined, current) : {};
  await RevisionModel.updateOne({ article, number }, { $setOnInsert: { article, number, editor, title, description, body, tagList, ...diff } }, { upsert: true });
}

/** One page of the article's revisions, oldest first, each with its diff, and how many there are. */
export async function listRevisions(article: Types.ObjectId, page: { limit: number; offset: number }): Promise<{ revisions: RevisionWithDiff[]; total: number }> {
  const [revisions, total] = await Promise.all([
    RevisionModel.find({ article }).sort({ number: 1 }).skip(page.offset).limit(page.limit).lean<StoredRevision[]>(),
    RevisionModel.countDocuments({ article }),
  ]);
  const withDiffs: RevisionWithDiff[] = [];
  for (const revision of revisions) withDiffs.push(await withStoredDiff(revision));
  return { revisions: withDiffs, total };
}

/** A revision stored before diffs were: its diff computed once, bounded the same way, and stored. */
async function withStoredDiff(revision: StoredRevision): Promise<RevisionWithDiff> {
  if (revision.diff !== undefined) return { ...revision, diff: revision.diff ?? null, diffTruncated: revision.diffTruncated ?? false };
  const previous = await RevisionModel.findOne({ article: revision.article, number: { $lt: revision.number } })
    .sort({ number: -1 })
    .lean<StoredRevision>();
  const diff = diffAgainstPrevious(previous ?? undefined, revision);
  await RevisionModel.updateOne({ _id: revision._id, diff: { $exists: false } }, { $set: diff });
  return { ...revision, ...diff };
}
