import { createTwoFilesPatch } from 'diff';
import type { Types } from 'mongoose';
import { RevisionModel, type Revision } from '../../models/revision';

export type StoredRevision = Revision & { _id: Types.ObjectId; createdAt: Date };

interface RevisionContent {
  title: string;
  description: string;
  body: string;
  tagList: string[];
}

/** Records the article's content as revision `number` (idempotent: the pair is unique). */
export async function recordRevision(article: Types.ObjectId, number: number, editor: Types.ObjectId, content: RevisionContent): Promise<void> {
  const { title, description, body, tagList } = content;
  await RevisionModel.updateOne(
    { article, number },
    { $setOnInsert: { article, number, editor, title, description, body, tagList } },
    { upsert: true },
  );
}

export async function listRevisions(article: Types.ObjectId): Promise<StoredRevision[]> {
  return RevisionModel.find({ article }).sort({ number: 1 }).lean<StoredRevision[]>();
}

/** The whole article as text, so one unified diff shows title, description, tags and body changes. */
function asDocument(revision: RevisionContent | undefined): string {
  if (!revision) return '';
  return [`# ${revision.title}`, '', `> ${revision.description}`, '', `tags: ${revision.tagList.join(', ')}`, '', revision.body, ''].join('\n');
}

/** A unified diff of a revision against the one before it (the first against nothing). */
export function diffAgainstPrevious(previous: StoredRevision | undefined, current: StoredRevision): string {
  return createTwoFilesPatch(
    previous ? `revision-${previous.number}` : 'empty',
    `revision-${current.number}`,
    asDocument(previous),
    asDocument(current),
    undefined,
    undefined,
    { context: 3 },
  );
}
