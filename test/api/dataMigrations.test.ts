import mongoose, { Types } from 'mongoose';
import { runDataMigrations } from '../../commands/migrations/dataMigrations';
import { ArticleModel } from '../../models/article';
import { MigrationModel } from '../../models/migration';
import { VoteModel } from '../../models/vote';
import { connectMongo } from '../../server/mongo';
import { testMongoUri, uniqueDatabaseName } from '../support/database';

beforeAll(() => connectMongo(testMongoUri(), { dbName: uniqueDatabaseName('migrations') }));
afterAll(async () => {
  await mongoose.connection.dropDatabase().catch(() => {});
  await mongoose.disconnect();
});

describe('data migrations', () => {
  it('gives votes stored before favorites were kept apart their favorite, and their articles their upvotes, once', async () => {
    const article = new Types.ObjectId();
    const [upvoter, downvoter, withdrawn] = [new Types.ObjectId(), new Types.ObjectId(), new Types.ObjectId()];
    await VoteModel.collection.insertMany([
      { article, voter: upvoter, weight: 10000, createdAt: new Date() },
      { article, voter: downvoter, weight: -5000, createdAt: new Date() },
      { article, voter: withdrawn, weight: 0, createdAt: new Date() },
    ]);
    await ArticleModel.collection.insertOne({ _id: article, slug: 'legacy', favoritesCount: 1 });
    const current = await ArticleModel.collection.insertOne({ slug: 'current', favoritesCount: 3, upvotes: 2 });

    expect(await runDataMigrations()).toEqual(['2026-12-favorites-apart-from-votes']);

    const votes = await VoteModel.collection.find({ article }).toArray();
    const favoriteOf = (voter: Types.ObjectId) => votes.find((v) => v.voter.equals(voter))?.favorite;
    expect([favoriteOf(upvoter), favoriteOf(downvoter), favoriteOf(withdrawn)]).toEqual([true, false, false]);
    expect((await ArticleModel.collection.findOne({ _id: article }))?.upvotes).toBe(1);
    expect((await ArticleModel.collection.findOne({ _id: current.insertedId }))?.upvotes).toBe(2);
    expect(await MigrationModel.countDocuments()).toBe(1);

    // Done once: a later start runs nothing, and a vote recorded since is left as it is.
    await VoteModel.collection.updateOne({ voter: upvoter }, { $set: { favorite: false } });
    expect(await runDataMigrations()).toEqual([]);
    expect((await VoteModel.collection.findOne({ voter: upvoter }))?.favorite).toBe(false);
  });
});
