import type { AnyBulkWriteOperation } from 'mongodb';
import { ArticleModel } from '../../models/article';
import { recountArticles } from '../articles/articleCounts';
import { CommentModel } from '../../models/comment';
import { MigrationModel } from '../../models/migration';
import { VoteModel } from '../../models/vote';

/** What migrations may need of the configuration. */
export interface MigrationSettings {
  /** PAYOUT_WINDOW_SECONDS. */
  payoutWindowSeconds: number;
}

interface Migration {
  name: string;
  /** Idempotent: several processes may run it at once, and a crash part-way is finished by the next start. */
  run(settings: MigrationSettings): Promise<void>;
}

const BATCH = 1000;

/**
 * Favorites became a flag of their own beside the vote (a favorite the vote rules refuse is kept
 * without reward), and articles count positive votes in `upvotes` apart from `favoritesCount`.
 * Records written before: every positive vote was the voter's favorite, and `favoritesCount` counted
 * exactly the positive votes.
 */
const favoritesApartFromVotes: Migration = {
  name: '2026-12-favorites-apart-from-votes',
  async run() {
    await VoteModel.collection.updateMany({ favorite: { $exists: false }, weight: { $gt: 0 } }, { $set: { favorite: true, favoriteRefusal: null } });
    await VoteModel.collection.updateMany({ favorite: { $exists: false } }, { $set: { favorite: false, favoriteRefusal: null } });
    for (;;) {
      const legacy = await ArticleModel.collection.find({ upvotes: { $exists: false } }, { projection: { favoritesCount: 1 }, limit: BATCH }).toArray();
      if (legacy.length === 0) break;
      const writes: AnyBulkWriteOperation[] = legacy.map((article) => ({
        updateOne: { filter: { _id: article._id, upvotes: { $exists: false } }, update: { $set: { upvotes: Number(article.favoritesCount ?? 0) } } },
      }));
      await ArticleModel.collection.bulkWrite(writes, { ordered: false });
    }
  },
};

/**
 * Comments became post items that earn (docs/rewards.md, "Comments"): each pays out a window after it
 * was made, with vote counters like an article's. Comments stored before get their payout moment
 * (creation + the payout window: one already past settles, with nothing to pay, in the next batch)
 * and zeroed counters; a comment that has them already is left as it is.
 */
const commentPayouts: Migration = {
  name: '2026-12-comment-payouts',
  async run({ payoutWindowSeconds }) {
    for (;;) {
      const legacy = await CommentModel.collection.find({ payoutAt: { $exists: false } }, { projection: { createdAt: 1 }, limit: BATCH }).toArray();
      if (legacy.length === 0) break;
      const writes: AnyBulkWriteOperation[] = legacy.map((comment) => {
        const createdAt = comment.createdAt instanceof Date ? comment.createdAt : new Date();
        const fields = {
          payoutAt: new Date(createdAt.getTime() + payoutWindowSeconds * 1000),
          paid: false, settlingBatch: null, payout: null,
          netRshares: '0', absRshares: '0', voteRshares: '0', totalVoteWeight: '0', upvotes: 0, downvotes: 0, rankRshares: 0, voteSeq: 0, appliedVoteOps: [],
        };
        return { updateOne: { filter: { _id: comment._id, payoutAt: { $exists: false } }, update: { $set: fields } } };
      });
      await CommentModel.collection.bulkWrite(writes, { ordered: false });
    }
  },
};

/**
 * Lists read their `articlesCount` from stored per-tag and per-author counts (docs/architecture.md,
 * "Stored counts"). Author counts are new and tag counts were kept only for ranking tags: both are
 * counted once from the articles.
 */
const articleCounts: Migration = {
  name: '2026-12-article-counts',
  async run() {
    await recountArticles();
  },
};

export const DATA_MIGRATIONS: readonly Migration[] = [favoritesApartFromVotes, commentPayouts, articleCounts];

const DEFAULT_SETTINGS: MigrationSettings = { payoutWindowSeconds: 7 * 86_400 };

/** Runs, in order, the migrations this database has not completed; returns the names it ran. */
export async function runDataMigrations(settings: MigrationSettings = DEFAULT_SETTINGS, migrations: readonly Migration[] = DATA_MIGRATIONS): Promise<string[]> {
  const done = new Set((await MigrationModel.find({ _id: { $in: migrations.map((m) => m.name) } }, { _id: 1 }).lean()).map((m) => String(m._id)));
  const ran: string[] = [];
  for (const migration of migrations) {
    if (done.has(migration.name)) continue;
    await migration.run(settings);
    await MigrationModel.updateOne({ _id: migration.name }, { $setOnInsert: { appliedAt: new Date() } }, { upsert: true });
    ran.push(migration.name);
  }
  return ran;
}
