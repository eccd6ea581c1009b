import type { Types } from 'mongoose';
import { DraftModel, type Draft } from '../../models/draft';
import { ArticleModel } from '../../models/article';
import { AppError, conflict, notFound, validationFailed } from '../../lib/errors';
import { findLimitViolation } from '../../domain/markdown';
import { createArticle } from '../articles/createArticle';
import { isDuplicateKeyError } from '../duplicateKey';
import type { StoredArticle } from '../articles/findArticle';

export type StoredDraft = Draft & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

export interface DraftFields {
  title?: string;
  description?: string;
  body?: string;
  tagList?: string[];
  publishAt?: Date | null;
}

/** How long a claim to publish a draft holds before another scheduler may take it over. */
export const PUBLISH_CLAIM_MS = 60_000;

export async function createDraft(author: Types.ObjectId, fields: DraftFields): Promise<StoredDraft> {
  const draft = await DraftModel.create({ author, ...fields });
  return draft.toObject() as StoredDraft;
}

export async function findOwnDraft(author: Types.ObjectId, id: string): Promise<StoredDraft> {
  const draft = /^[0-9a-f]{24}$/i.test(id) ? await DraftModel.findOne({ _id: id, author }).lean<StoredDraft>() : null;
  if (!draft) throw notFound(`draft ${id} not found`, 'draft');
  return draft;
}

export async function listDrafts(author: Types.ObjectId, window: { offset: number; limit: number }): Promise<{ drafts: StoredDraft[]; draftsCount: number }> {
  const filter = { author, status: { $ne: 'published' as const } };
  const [drafts, draftsCount] = await Promise.all([
    DraftModel.find(filter).sort({ updatedAt: -1 }).skip(window.offset).limit(window.limit).lean<StoredDraft[]>(),
    DraftModel.countDocuments(filter),
  ]);
  return { drafts, draftsCount };
}

/** Edits a draft that has not started publishing. */
export async function updateDraft(author: Types.ObjectId, id: string, fields: DraftFields): Promise<StoredDraft> {
  await findOwnDraft(author, id);
  const updated = await DraftModel.findOneAndUpdate({ _id: id, author, status: 'draft' }, { $set: fields }, { returnDocument: 'after' }).lean<StoredDraft>();
  if (!updated) throw conflict('this draft is being published or was published already', 'draft');
  return updated;
}

export async function deleteDraft(author: Types.ObjectId, id: string): Promise<void> {
  await findOwnDraft(author, id);
  const { deletedCount } = await DraftModel.deleteOne({ _id: id, author, status: 'draft' });
  if (deletedCount === 0) throw conflict('this draft is being published or was published already', 'draft');
}

/**
 * Publishes a draft exactly once. The claim (draft → publishing, with a lease) is one atomic update;
 * the article carries the draft id under a unique index, so if a publisher dies after creating the
 * article, whoever takes the expired claim over finds that article instead of creating a second.
 */
export async function publishDraft(
  draftId: Types.ObjectId,
  now: Date,
  options: { payoutWindowSeconds: number; expectedAuthor?: Types.ObjectId },
): Promise<StoredArticle | null> {
  const expectedAuthor = options.expectedAuthor;
  const claimed = await DraftModel.findOneAndUpdate(
    {
      _id: draftId,
      ...(expectedAuthor ? { author: expectedAuthor } : {}),
      $or: [{ status: 'draft' }, { status: 'publishing', claimedUntil: { $lte: now } }],
    },
    { $set: { status: 'publishing', claimedUntil: new Date(now.getTime() + PUBLISH_CLAIM_MS) } },
    { returnDocument: 'after' },
  ).lean<StoredDraft>();
  if (!claimed) return null;

  const problem = unpublishable(claimed);
  if (problem) {
    await DraftModel.updateOne({ _id: claimed._id }, { $set: { status: 'draft', claimedUntil: null, publishAt: null, publishError: problem } });
    throw validationFailed(problem, 'draft');
  }
  let article: StoredArticle;
  try {
    article = await createArticle(
      claimed.author,
      { title: claimed.title, description: claimed.description, body: claimed.body, tagList: claimed.tagList },
      { sourceDraft: claimed._id, payoutAt: new Date(now.getTime() + options.payoutWindowSeconds * 1000) },
    );
  } catch (error) {
    if (error instanceof AppError && error.kind === 'validation') {
      // The body cannot be rendered (e.g. over its time budget): back to draft, with the reason.
      const reason = `body ${error.fields.body?.join(', ') ?? error.message}`;
      await DraftModel.updateOne({ _id: claimed._id }, { $set: { status: 'draft', claimedUntil: null, publishAt: null, publishError: reason } });
      throw validationFailed(reason, 'draft');
    }
    const alreadyPublished = isDuplicateKeyError(error) && Object.keys(error.keyPattern ?? {})[0] === 'sourceDraft';
    if (!alreadyPublished) throw error;
    article = (await ArticleModel.findOne({ sourceDraft: claimed._id }).lean<StoredArticle>())!;
  }
  await DraftModel.updateOne({ _id: claimed._id }, { $set: { status: 'published', articleSlug: article.slug, claimedUntil: null, publishError: null } });
  return article;
}

function unpublishable(draft: StoredDraft): string | null {
  if (draft.title.trim() === '') return 'a draft needs a title before it can be published';
  if (draft.body.trim() === '') return 'a draft needs a body before it can be published';
  const violation = findLimitViolation(draft.body);
  if (violation) return `body ${violation.message}`;
  return null;
}

/** Drafts whose publishAt has come (or whose publisher's claim expired), oldest first. */
export async function dueDrafts(now: Date, limit: number): Promise<Types.ObjectId[]> {
  const due = await DraftModel.find(
    { $or: [{ status: 'draft', publishAt: { $ne: null, $lte: now } }, { status: 'publishing', claimedUntil: { $lte: now } }] },
    { _id: 1 },
  )
    .sort({ publishAt: 1 })
    .limit(limit)
    .lean();
  return due.map((draft) => draft._id);
}
