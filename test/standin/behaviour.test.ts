import { Long, MongoClient, MongoServerError, type Db } from 'mongodb';
import { testMongoUri, uniqueDatabaseName } from '../support/database';
import { scanStages } from '../support/explain';

/**
 * Database behaviours Inkwell relies on, checked against whichever backend the run uses (the
 * offline stand-in here; a real mongod with MONGODB_URI or mongodb-memory-server).
 */
let client: MongoClient;
let db: Db;
beforeAll(async () => {
  client = await MongoClient.connect(testMongoUri());
  db = client.db(uniqueDatabaseName('behaviour'));
});
afterAll(async () => {
  await db.dropDatabase();
  await client.close();
});

describe('unique indexes', () => {
  it('let exactly one of many concurrent inserts of one key win, from many connections', async () => {
    const collection = db.collection('accounts');
    await collection.createIndex({ name: 1 }, { unique: true });
    const clients = await Promise.all(Array.from({ length: 20 }, () => MongoClient.connect(testMongoUri())));
    try {
      const attempts = clients.flatMap((other, c) =>
        Array.from({ length: 50 }, (_, i) => other.db(db.databaseName).collection('accounts').insertOne({ name: 'alice', attempt: c * 50 + i })),
      );
      const results = await Promise.allSettled(attempts);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as MongoServerError);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(rejected).toHaveLength(999);
      for (const error of rejected) {
        expect(error.code).toBe(11000);
        expect(error.keyPattern).toEqual({ name: 1 });
        expect(error.keyValue).toEqual({ name: 'alice' });
      }
      expect(await collection.countDocuments({ name: 'alice' })).toBe(1);
    } finally {
      await Promise.all(clients.map((other) => other.close()));
    }
  });

  it('check uniqueness before applying a write: a violating update changes nothing', async () => {
    const collection = db.collection('handles');
    await collection.createIndex({ handle: 1 }, { unique: true });
    await collection.insertMany([{ _id: 'a' as never, handle: 'first', note: 'kept' }, { _id: 'b' as never, handle: 'second' }]);
    await expect(collection.updateOne({ _id: 'a' as never }, { $set: { handle: 'second', note: 'changed' } })).rejects.toMatchObject({ code: 11000 });
    expect(await collection.findOne({ _id: 'a' as never })).toEqual({ _id: 'a', handle: 'first', note: 'kept' });
    await expect(collection.insertMany([{ handle: 'third' }, { handle: 'first' }, { handle: 'fourth' }])).rejects.toMatchObject({ code: 11000 });
    expect(await collection.countDocuments({ handle: { $in: ['third', 'fourth'] } })).toBe(1);
  });

  it('apply to compound keys and ignore documents outside a partial filter', async () => {
    const collection = db.collection('votes');
    await collection.createIndex({ article: 1, voter: 1 }, { unique: true });
    await collection.insertMany([
      { article: 1, voter: 1 },
      { article: 1, voter: 2 },
      { article: 2, voter: 1 },
    ]);
    await expect(collection.insertOne({ article: 1, voter: 2 })).rejects.toMatchObject({ code: 11000, keyValue: { article: 1, voter: 2 } });
    // Missing fields index as null, so a second document without them collides, as on mongod.
    await expect(collection.insertOne({ other: 1 })).resolves.toBeDefined();
    await expect(collection.insertOne({ other: 2 })).rejects.toMatchObject({ code: 11000, keyValue: { article: null, voter: null } });

    const links = db.collection('links');
    await links.createIndex({ account: 1 }, { unique: true, partialFilterExpression: { account: { $type: 'string' } } });
    await links.insertMany([{ account: null }, { account: null }, { account: 'x' }]);
    await expect(links.insertOne({ account: 'x' })).rejects.toMatchObject({ code: 11000 });
  });
});

describe('atomic single-document updates', () => {
  it('apply $inc from 200 concurrent updates exactly', async () => {
    const collection = db.collection('counters');
    await collection.insertOne({ _id: 'c' as never, n: 0 });
    await Promise.all(Array.from({ length: 200 }, () => collection.updateOne({ _id: 'c' as never }, { $inc: { n: 1 } })));
    expect(await collection.findOne({ _id: 'c' as never })).toEqual({ _id: 'c', n: 200 });
  });

  it('run findOneAndUpdate as one compare-and-set: of racing claims exactly one succeeds', async () => {
    const collection = db.collection('claims');
    await collection.insertOne({ _id: 'job' as never, status: 'ready' });
    const claims = await Promise.all(
      Array.from({ length: 30 }, (_, i) => collection.findOneAndUpdate({ _id: 'job' as never, status: 'ready' }, { $set: { status: 'claimed', by: i } })),
    );
    expect(claims.filter((claim) => claim !== null)).toHaveLength(1);
  });
});

describe('server behaviour', () => {
  it('reports a standalone server and refuses transactions with IllegalOperation (20)', async () => {
    const hello = await db.admin().command({ hello: 1 });
    expect(hello.isWritablePrimary).toBe(true);
    expect(hello.setName).toBeUndefined();
    const session = client.startSession();
    try {
      await expect(
        db.command({ insert: 'tx', documents: [{ a: 1 }], txnNumber: Long.fromNumber(1), startTransaction: true, autocommit: false }, { session }),
      ).rejects.toMatchObject({ code: 20 });
    } finally {
      await session.endSession();
    }
    expect(await db.collection('tx').countDocuments()).toBe(0);
  });

  it('answers an unknown command with CommandNotFound (59)', async () => {
    await expect(db.command({ frobnicate: 1 })).rejects.toMatchObject({ code: 59, codeName: 'CommandNotFound' });
  });

  it('serves large results through cursors and getMore', async () => {
    const collection = db.collection('many');
    await collection.insertMany(Array.from({ length: 250 }, (_, i) => ({ i })));
    const all = await collection.find({}, { batchSize: 40, sort: { i: -1 } }).toArray();
    expect(all.map((doc) => doc.i)).toEqual(Array.from({ length: 250 }, (_, i) => 249 - i));
    const cursor = collection.find({ i: { $gte: 100 } }, { batchSize: 10 });
    let count = 0;
    for await (const _doc of cursor) count += 1;
    expect(count).toBe(150);
  });

  it('runs aggregation with $lookup, $unwind, $group and $facet', async () => {
    await db.collection('authors').insertMany([{ _id: 1 as never, name: 'ann' }, { _id: 2 as never, name: 'bob' }]);
    await db.collection('posts').insertMany([
      { author: 1, tags: ['a', 'b'], score: 3 },
      { author: 1, tags: ['b'], score: 5 },
      { author: 2, tags: ['a'], score: 7 },
    ]);
    const joined = await db
      .collection('posts')
      .aggregate([
        { $lookup: { from: 'authors', localField: 'author', foreignField: '_id', as: 'writer' } },
        { $unwind: '$writer' },
        { $group: { _id: '$writer.name', total: { $sum: '$score' }, posts: { $sum: 1 } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(joined).toEqual([{ _id: 'ann', total: 8, posts: 2 }, { _id: 'bob', total: 7, posts: 1 }]);
    const [facets] = await db
      .collection('posts')
      .aggregate([{ $facet: { byTag: [{ $unwind: '$tags' }, { $sortByCount: '$tags' }], count: [{ $count: 'n' }] } }])
      .toArray();
    const byTag = (facets!.byTag as { _id: string; count: number }[]).sort((x, y) => x._id.localeCompare(y._id));
    expect(byTag).toEqual([{ _id: 'a', count: 2 }, { _id: 'b', count: 2 }]);
    expect(facets!.count).toEqual([{ n: 3 }]);
  });

  it('answers range queries through an index exactly as a collection scan does, and explains them as index scans', async () => {
    const values: unknown[] = [null, 'a', 'm', 'z', -1, 0, 2.5, 7, 12, new Date(0), new Date(5000), new Date(9000), [1, 12], [3], true, { x: 1 }];
    const scalars = values.filter((v) => !Array.isArray(v));
    // v holds arrays too (a multikey index takes one bound at most); w holds scalars only.
    const docs = Array.from({ length: 160 }, (_, i) => ({ _id: i as never, g: i % 3, v: values[i % values.length], w: scalars[(i * 7) % scalars.length] }));
    const indexed = db.collection('ranged');
    const plain = db.collection('rangedPlain');
    for (const field of ['v', 'w']) {
      await indexed.createIndex({ g: 1, [field]: -1 });
      await indexed.createIndex({ [field]: 1 });
    }
    await indexed.insertMany(docs);
    await plain.insertMany(docs);
    const bounds: [string, unknown][] = [['$gt', 2.5], ['$gte', 2.5], ['$lt', 7], ['$lte', 12], ['$gte', 'b'], ['$lt', 'z'], ['$gte', new Date(5000)], ['$lt', new Date(9000)], ['$gt', -5]];
    const filters: Record<string, unknown>[] = [];
    for (const field of ['v', 'w']) {
      for (const [op, value] of bounds) {
        filters.push({ [field]: { [op]: value } }, { g: 1, [field]: { [op]: value } });
        for (const [op2, value2] of bounds) {
          if (op2.slice(0, 3) !== op.slice(0, 3)) filters.push({ [field]: { [op]: value, [op2]: value2 } }, { $and: [{ g: 2 }, { [field]: { [op]: value } }, { [field]: { [op2]: value2 } }] });
        }
      }
    }
    const ids = (found: { _id: unknown }[]) => found.map((d) => d._id);
    for (const filter of filters) {
      expect({ filter, ids: ids(await indexed.find(filter).sort({ _id: 1 }).toArray()) }).toEqual({ filter, ids: ids(await plain.find(filter).sort({ _id: 1 }).toArray()) });
    }
    const descending = await indexed.find({ g: 0, w: { $gte: 0, $lt: 12 } }).sort({ w: -1 }).toArray();
    expect(descending.map((d) => d.w)).toEqual((await plain.find({ g: 0, w: { $gte: 0, $lt: 12 } }).sort({ w: -1, _id: 1 }).toArray()).map((d) => d.w));
    expect(scanStages(await indexed.find({ w: { $gte: new Date(0), $lt: new Date(9000) } }).explain())).toEqual([{ stage: 'IXSCAN', indexName: 'w_1' }]);
    expect(scanStages(await indexed.find({ v: { $gte: new Date(0) } }).explain())).toEqual([{ stage: 'IXSCAN', indexName: 'v_1' }]);
  });

  it('uses a partial or sparse index only for filters it covers, and answers the others in full', async () => {
    const collection = db.collection('partially');
    await collection.createIndex({ key: 1 }, { unique: true, partialFilterExpression: { key: { $type: 'string' } } });
    await collection.createIndex({ tag: 1 }, { sparse: true });
    await collection.insertMany([{ key: 'a', tag: 't' }, { key: null }, { n: 1 }, { key: 7, tag: null }, { key: 'b' }]);
    const plan = async (filter: Record<string, unknown>) => scanStages(await collection.find(filter).explain());
    expect(await plan({ key: 'a' })).toEqual([{ stage: 'IXSCAN', indexName: 'key_1' }]);
    expect(await plan({ key: { $in: ['a', 'b'] } })).toEqual([{ stage: 'IXSCAN', indexName: 'key_1' }]);
    expect(await plan({ tag: 't' })).toEqual([{ stage: 'IXSCAN', indexName: 'tag_1' }]);
    for (const filter of [{ key: 7 }, { key: null }, { key: { $in: ['a', 7] } }, { tag: null }]) {
      expect((await plan(filter)).map((s) => s.stage)).toEqual(['COLLSCAN']);
    }
    expect(await collection.countDocuments({ key: 7 })).toBe(1);
    expect(await collection.countDocuments({ key: null })).toBe(2);
    expect(await collection.countDocuments({ tag: null })).toBe(4);
    expect(await collection.countDocuments({ key: { $in: ['a', 'b'] } })).toBe(2);
  });

  it('explains an indexed query as an index scan and an unindexed one as a collection scan', async () => {
    const collection = db.collection('explained');
    await collection.createIndex({ author: 1, createdAt: -1 });
    await collection.insertMany(Array.from({ length: 50 }, (_, i) => ({ author: i % 5, createdAt: new Date(i * 1000), body: `b${i}` })));
    const indexed = await collection.find({ author: 3 }).sort({ createdAt: -1 }).limit(5).explain();
    expect(scanStages(indexed)).toEqual([{ stage: 'IXSCAN', indexName: 'author_1_createdAt_-1' }]);
    const unindexed = await collection.find({ body: 'b7' }).explain();
    expect(scanStages(unindexed).map((s) => s.stage)).toEqual(['COLLSCAN']);
  });

  it('answers an $or of exact pairs from the compound index, with the same documents as a full scan', async () => {
    const indexed = db.collection('pairsIndexed');
    const plain = db.collection('pairsPlain');
    await indexed.createIndex({ article: 1, voter: 1 }, { unique: true });
    const docs = Array.from({ length: 60 }, (_, i) => ({ article: i % 6, voter: Math.floor(i / 6), weight: i }));
    await indexed.insertMany(docs.map((d) => ({ ...d })));
    await plain.insertMany(docs.map((d) => ({ ...d })));
    const pairs = [{ article: 1, voter: 2 }, { article: 1, voter: 2 }, { article: 5, voter: 9 }, { article: 3, voter: 40 }, { article: 0, voter: 0 }];
    const filters = [{ $or: pairs }, { $or: pairs, weight: { $gt: 0 } }, { weight: { $lt: 50 }, $or: [{ article: 5, voter: 9 }, { article: 4, voter: { $in: [1, 2, 3] } }] }];
    const weights = async (collection: typeof plain, filter: Record<string, unknown>) => (await collection.find(filter).sort({ weight: 1 }).toArray()).map((d) => d.weight);
    for (const filter of filters) expect(await weights(indexed, filter)).toEqual(await weights(plain, filter));
    expect(await weights(indexed, filters[0]!)).toEqual([0, 13, 59]);
    for (const filter of filters) {
      const stages = scanStages(await indexed.find(filter).explain());
      expect(stages.length).toBeGreaterThan(0);
      expect(stages.every((stage) => stage.stage === 'IXSCAN' && stage.indexName === 'article_1_voter_1')).toBe(true);
    }
    // A branch the index cannot answer makes the whole $or a collection scan.
    expect(scanStages(await indexed.find({ $or: [{ article: 1, voter: 2 }, { weight: 7 }] }).explain()).map((s) => s.stage)).toContain('COLLSCAN');
    expect(await weights(indexed, { $or: [{ article: 1, voter: 2 }, { weight: 7 }] })).toEqual([7, 13]);
  });
});

describe('projections', () => {
  it('include or exclude top-level fields exactly as mongod does, _id included unless excluded', async () => {
    const collection = db.collection('projected');
    await collection.insertOne({ _id: 1 as never, a: 1, b: { c: 2, d: 3 }, e: [1, 2] });
    const one = async (projection: Record<string, unknown>) => collection.findOne({ _id: 1 as never }, { projection });
    expect(await one({ a: 1 })).toEqual({ _id: 1, a: 1 });
    expect(await one({ a: 1, _id: 0 })).toEqual({ a: 1 });
    expect(await one({ _id: 1 })).toEqual({ _id: 1 });
    expect(await one({ _id: 0 })).toEqual({ a: 1, b: { c: 2, d: 3 }, e: [1, 2] });
    expect(await one({ b: 0, e: false })).toEqual({ _id: 1, a: 1 });
    expect(await one({ missing: 1 })).toEqual({ _id: 1 });
    expect(await one({ 'b.c': 1 })).toEqual({ _id: 1, b: { c: 2 } });
    await expect(one({ a: 1, b: 0 })).rejects.toThrow();
  });
});
