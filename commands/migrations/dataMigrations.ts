import type { AnyBulkWriteOperation } from 'mongodb';
import { ArticleModel } from '../../models/article';
import { MigrationModel } from '../../models/migration';
import { VoteModel } from '../../models/vote';

interface Migration {
  name: string;
  /** Idempotent: several processes may run it at once, and a crash part-way is finished by the next start. */
  run(): Promise<void>;
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

export const DATA_MIGRATIONS: readonly Migration[] = [favoritesApartFromVotes];

/** Runs, in order, the migrations this database has not completed; returns the names it ran. */
export async function runDataMigrations(migrations: readonly Migration[] = DATA_MIGRATIONS): Promise<string[]> {
  const done = new Set((await MigrationModel.find({ _id: { $in: migrations.map((m) => m.name) } }, { _id: 1 }).lean()).map((m) => String(m._id)));
  const ran: string[] = [];
  for (const migration of migrations) {
    if (done.has(migration.name)) continue;
    await migration.run();
    await MigrationModel.updateOne({ _id: migration.name }, { $setOnInsert: { appliedAt: new Date() } }, { upsert: true });
    ran.push(migration.name);
  }
  return ran;
}
