import fc from 'fast-check';
import { MongoClient } from 'mongodb';
import { startMongoStandin } from '../../devinfra/mongo-standin';
import { Collection } from '../../devinfra/mongo-standin/engine/collection';

/** The TTL monitor (RateLimiterMongo's documents expire through a TTL index on `expire`). */
describe('stand-in TTL indexes', () => {
  const NOW = Date.parse('2026-03-01T12:00:00Z');

  it('delete exactly what mongod would: dates at least expireAfterSeconds old (an array: its earliest), nothing without a date', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer({ min: -600, max: 600 }).map((s) => new Date(NOW + s * 1000)),
            fc.array(fc.integer({ min: -600, max: 600 }).map((s) => new Date(NOW + s * 1000)), { minLength: 1, maxLength: 3 }),
            fc.constantFrom(null, undefined, 5, 'soon', { at: 1 }),
          ),
          { maxLength: 60 },
        ),
        fc.constantFrom(1, -1),
        fc.integer({ min: 0, max: 300 }),
        (values, direction, expireAfterSeconds) => {
          const collection = new Collection('db', 'limits');
          collection.createIndex({ name: 'expire_ttl', key: { expire: direction as 1 | -1 }, expireAfterSeconds });
          values.forEach((expire, i) => collection.insert(expire === undefined ? { _id: i } : { _id: i, expire }));
          const cutoff = NOW - expireAfterSeconds * 1000;
          const earliest = (v: unknown) => (v instanceof Date ? v.getTime() : Array.isArray(v) && v.every((d) => d instanceof Date) ? Math.min(...v.map((d: Date) => d.getTime())) : undefined);
          const expected = values.map((v, i) => [i, earliest(v)] as const).filter(([, t]) => t !== undefined && t <= cutoff).map(([i]) => i);
          expect(collection.removeExpired(NOW)).toBe(expected.length);
          const left = [...collection.docs.values()].map((d) => d._id as number).sort((a, b) => a - b);
          expect(left).toEqual(values.map((_, i) => i).filter((i) => !expected.includes(i)));
          // The index holds exactly the documents that are left.
          const indexed = [...new Set(collection.indexes.get('expire_ttl')!.idsWithPrefix([]))].map((id) => collection.docs.get(id)!._id as number);
          expect(indexed.sort((a, b) => a - b)).toEqual(left);
        },
      ),
    );
  });

  it('are enforced by the running server every ttlMonitorSleepMs, through the driver', async () => {
    const standin = await startMongoStandin({ ttlMonitorSleepMs: 50 });
    const client = await MongoClient.connect(standin.uri);
    try {
      const collection = client.db('ttl').collection('rate_limits');
      await collection.createIndex({ expire: -1 }, { expireAfterSeconds: 0 });
      await collection.insertMany([
        { key: 'old', expire: new Date(Date.now() - 1000) },
        { key: 'later', expire: new Date(Date.now() + 3_600_000) },
        { key: 'forever', expire: null },
      ]);
      for (let wait = 0; wait < 40 && (await collection.countDocuments({ key: 'old' })) > 0; wait += 1) await new Promise((r) => setTimeout(r, 25));
      expect((await collection.find({}, { projection: { _id: 0, key: 1 } }).toArray()).map((d) => d.key).sort()).toEqual(['forever', 'later']);
    } finally {
      await client.close();
      await standin.stop();
    }
  });
});
