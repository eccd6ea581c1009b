import mongoose, { Types } from 'mongoose';
import { runDataMigrations } from '../../commands/migrations/dataMigrations';
import { ArticleModel } from '../../models/article';
import { AuthorArticleCountModel } from '../../models/authorArticleCount';
import { TagModel } from '../../models/tag';
import { CommentModel } from '../../models/comment';
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
    const author = new Types.ObjectId();
    await ArticleModel.collection.insertOne({ _id: article, slug: 'legacy', favoritesCount: 1, author, tagList: ['legacy-tag'] });
    const current = await ArticleModel.collection.insertOne({ slug: 'current', favoritesCount: 3, upvotes: 2, author, tagList: [] });
    const createdAt = new Date('2026-11-01T00:00:00Z');
    const legacyComment = await CommentModel.collection.insertOne({ id: 1, article, author: upvoter, body: 'old', createdAt, updatedAt: createdAt });
    const currentPayoutAt = new Date('2026-12-01T00:00:00Z');
    const currentComment = await CommentModel.collection.insertOne({ id: 2, article, author: upvoter, body: 'new', createdAt, updatedAt: createdAt, payoutAt: currentPayoutAt, netRshares: '5', voteSeq: 3 });

    expect(await runDataMigrations({ payoutWindowSeconds: 3600 })).toEqual(['2026-12-favorites-apart-from-votes', '2026-12-comment-payouts', '2026-12-article-counts']);

    const votes = await VoteModel.collection.find({ article }).toArray();
    const favoriteOf = (voter: Types.ObjectId) => votes.find((v) => v.voter.equals(voter))?.favorite;
    expect([favoriteOf(upvoter), favoriteOf(downvoter), favoriteOf(withdrawn)]).toEqual([true, false, false]);
    expect((await ArticleModel.collection.findOne({ _id: article }))?.upvotes).toBe(1);
    expect((await ArticleModel.collection.findOne({ _id: current.insertedId }))?.upvotes).toBe(2);
    // Comments stored before comments earned: their own payout moment (creation + the window) and zeroed counters.
    expect(await CommentModel.collection.findOne({ _id: legacyComment.insertedId })).toMatchObject({
      payoutAt: new Date(createdAt.getTime() + 3600_000), paid: false, settlingBatch: null, netRshares: '0', totalVoteWeight: '0', upvotes: 0, downvotes: 0, voteSeq: 0,
    });
    expect(await CommentModel.collection.findOne({ _id: currentComment.insertedId })).toMatchObject({ payoutAt: currentPayoutAt, netRshares: '5', voteSeq: 3 });
    expect(await MigrationModel.countDocuments()).toBe(3);
    // Articles stored before author counts were kept are counted once, per author and per tag.
    expect(await AuthorArticleCountModel.collection.findOne({ _id: author })).toMatchObject({ count: 2 });
    expect(await TagModel.collection.findOne({ _id: 'legacy-tag' as never })).toMatchObject({ count: 1 });

    // Done once: a later start runs nothing, and a vote recorded since is left as it is.
    await VoteModel.collection.updateOne({ voter: upvoter }, { $set: { favorite: false } });
    expect(await runDataMigrations()).toEqual([]);
    expect((await VoteModel.collection.findOne({ voter: upvoter }))?.favorite).toBe(false);
  });
});
