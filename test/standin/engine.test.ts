import fc from 'fast-check';
import { Binary, Double, Int32, Long, ObjectId } from 'bson';
import { compileFilter } from '../../devinfra/mongo-standin/engine/matcher';
import { ChunkedList } from '../../devinfra/mongo-standin/engine/chunkedList';
import { SecondaryIndex } from '../../devinfra/mongo-standin/engine/secondaryIndex';
import { Collection } from '../../devinfra/mongo-standin/engine/collection';
import { explainPlan, runQuery } from '../../devinfra/mongo-standin/engine/planner';
import { MessageFramer } from '../../devinfra/mongo-standin/wire/messages';

type Op = { kind: 'insert'; at: number; value: number } | { kind: 'remove'; at: number };

describe('the stand-in index list (chunked)', () => {
  it('behaves exactly like one flat array under any inserts and removals, across chunk splits', () => {
    const op = fc.oneof(
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: fc.integer() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 3000 }), fc.nat(), fc.nat(), (ops: Op[], a, b) => {
        const list = new ChunkedList<number>();
        const flat: number[] = [];
        for (const step of ops) {
          if (step.kind === 'insert') {
            const at = step.at % (flat.length + 1);
            list.insertAt(at, step.value);
            flat.splice(at, 0, step.value);
          } else if (flat.length > 0) {
            const at = step.at % flat.length;
            list.removeAt(at);
            flat.splice(at, 1);
          }
        }
        expect(list.size).toBe(flat.length);
        expect([...list.slice(0, list.size)]).toEqual(flat);
        const start = flat.length === 0 ? 0 : a % flat.length;
        const end = start + (flat.length === 0 ? 0 : b % (flat.length - start + 1));
        expect([...list.slice(start, end)]).toEqual(flat.slice(start, end));
        expect([...list.slice(start, end, true)]).toEqual(flat.slice(start, end).reverse());
        expect(list.at(start)).toBe(flat[start]);
        expect(list.at(flat.length)).toBeUndefined();
      }),
      { numRuns: 60 },
    );
  });
});

describe('the stand-in index list search', () => {
  it('finds the partition point of any sorted range as a linear scan does, across chunks', () => {
    fc.assert(
      // Long enough for several chunks (1,024 items at most each), so the point often lies inside one.
      fc.property(fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1500, maxLength: 5000 }), fc.nat(), fc.nat(), fc.integer({ min: -1, max: 501 }), (values, a, b, probe) => {
        const list = new ChunkedList<number>();
        const flat: number[] = [];
        // Inserted in arrival order at their sorted place, so chunks split where the data put them.
        for (const value of values) {
          let [lo, hi] = [0, flat.length];
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (flat[mid]! <= value) lo = mid + 1;
            else hi = mid;
          }
          list.insertAt(lo, value);
          flat.splice(lo, 0, value);
        }
        const lo = a % (flat.length + 1);
        const hi = lo + (b % (flat.length - lo + 1));
        const expected = (() => {
          for (let i = lo; i < hi; i += 1) if (!(flat[i]! < probe)) return i;
          return hi;
        })();
        expect(list.partitionPoint(lo, hi, (v) => v < probe)).toBe(expected);
        expect(list.partitionPoint(0, flat.length, (v) => v <= probe)).toBe(flat.filter((v) => v <= probe).length);
      }),
      { numRuns: 80 },
    );
  });
});

describe('the stand-in unique index', () => {
  const ids = [new ObjectId('64b000000000000000000001'), new ObjectId('64b000000000000000000002')];
  // Values that compare equal in different types (1, 1.0, Long 1, Int32 1), null and missing, and
  // values that are not scalars (arrays, documents, binary data) which the hash must leave to the search.
  const value = fc.constantFrom<unknown>(
    undefined, null, 1, 1.5, new Double(1), new Int32(1), Long.fromNumber(1), 2, 'a', 'b', '', ids[0], ids[1], true, false,
    new Date(0), new Date(1), ['a', 'b'], [1], { x: 1 }, { x: 1, y: 2 }, new Binary(Buffer.from([1])), new Binary(Buffer.from([2])),
  );
  const doc = fc.record({ a: value, b: value }, { requiredKeys: [] });

  it('finds a whole key and refuses a duplicate as a search of its sorted entries does', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), doc), { minLength: 1, maxLength: 80 }), fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 20 }), (steps, probes) => {
        const unique = new SecondaryIndex({ name: 'a_1_b_1', key: { a: 1, b: -1 }, unique: true });
        // The same keys in an index without the hash: every lookup is a search of the sorted entries.
        const searched = new SecondaryIndex({ name: 'a_1_b_1', key: { a: 1, b: -1 } });
        const stored = new Map<string, Record<string, unknown>>();
        steps.forEach(([remove, fields], i) => {
          const existing = [...stored.keys()];
          if (remove && existing.length > 0) {
            const id = existing[i % existing.length]!;
            unique.remove(id, stored.get(id)!);
            searched.remove(id, stored.get(id)!);
            stored.delete(id);
            return;
          }
          const conflict = searched.conflictingKey(searched.keysOf(fields));
          expect(unique.conflictingKey(unique.keysOf(fields)) !== undefined).toBe(conflict !== undefined);
          if (conflict) return;
          const id = `d${i}`;
          unique.add(id, fields);
          searched.add(id, fields);
          stored.set(id, fields);
        });
        for (const probe of probes) {
          expect([...unique.idsWithPrefix(probe)]).toEqual([...searched.idsWithPrefix(probe)]);
          for (const id of stored.keys()) {
            expect(unique.conflictingKey([probe], id) !== undefined).toBe(searched.conflictingKey([probe], id) !== undefined);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('the stand-in message framer', () => {
  const message = (length: number, fill: number) => {
    const buffer = Buffer.alloc(length, fill);
    buffer.writeInt32LE(length, 0);
    return buffer;
  };

  it('returns exactly the messages of a stream however it is chunked', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 16, max: 5000 }), { minLength: 1, maxLength: 20 }), fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1 }), (lengths, cuts) => {
        const messages = lengths.map((length, i) => message(length, i % 251));
        const stream = Buffer.concat(messages);
        const framer = new MessageFramer();
        const received: Buffer[] = [];
        let offset = 0;
        for (let i = 0; offset < stream.length; i += 1) {
          const size = cuts[i % cuts.length]!;
          received.push(...framer.push(stream.subarray(offset, offset + size)));
          offset += size;
        }
        expect(received.map((b) => b.toString('hex'))).toEqual(messages.map((b) => b.toString('hex')));
      }),
      { numRuns: 100 },
    );
  });

  it('refuses an impossible length', () => {
    expect(() => new MessageFramer().push(message(16, 0).fill(0xff, 0, 4))).toThrow(/invalid message length/);
  });
});

describe('the stand-in filter compiler', () => {
  const id = new ObjectId('64b7f0c2a1b2c3d4e5f60718');
  // Plain objects, as BSON gives (fast-check's dictionaries have no prototype otherwise).
  const object = <T>(value: fc.Arbitrary<T>) => fc.dictionary(fc.constantFrom('b', 'c'), value, { maxKeys: 2 }).map((o) => ({ ...o }));
  const scalar = fc.oneof(fc.integer({ min: -2, max: 2 }), fc.constantFrom('x', 'y'), fc.constant(null), fc.constant(id), fc.constant(new Date(0)));
  const leaf = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }));
  const inner = fc.oneof(leaf, object(leaf));
  const doc = fc.dictionary(fc.constantFrom('a', 'z'), fc.oneof(inner, object(inner)), { maxKeys: 2 }).map((o) => ({ ...o }) as Record<string, unknown>);
  const condition = fc.oneof(
    scalar,
    fc.record({ $eq: scalar }),
    fc.record({ $ne: scalar }),
    fc.record({ $gt: scalar }),
    fc.record({ $lte: scalar }),
    fc.record({ $in: fc.array(scalar, { maxLength: 3 }) }),
    fc.record({ $nin: fc.array(scalar, { maxLength: 3 }) }),
    fc.record({ $exists: fc.boolean() }),
  );
  const path = fc.constantFrom('a.b', 'a.b.c', 'a.c');

  /** The value a dotted path names when no array is on the way: missing once it leaves embedded documents. */
  const valueAt = (document: Record<string, unknown>, dotted: string) =>
    dotted.split('.').reduce<unknown>((value, key) => (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype ? (value as Record<string, unknown>)[key] : undefined), document);

  it('tests a dotted path through embedded documents as it tests a top-level field holding the same value', () => {
    fc.assert(
      fc.property(path, condition, doc, (dotted, wanted, document) => {
        const keys = dotted.split('.');
        const onTheWay = keys.slice(1).map((_, i) => valueAt(document, keys.slice(0, i + 1).join('.')));
        fc.pre(!onTheWay.some(Array.isArray)); // arrays along the path: the next test
        const value = valueAt(document, dotted);
        expect(compileFilter({ [dotted]: wanted })(document)).toBe(compileFilter({ field: wanted })(value === undefined ? {} : { field: value }));
      }),
      { numRuns: 1000 },
    );
  });

  it('matches through arrays along the path, and treats ObjectIds and Dates on the path as having no fields', () => {
    expect(compileFilter({ 'a.b': 1 })({ a: [{ b: 2 }, { b: 1 }] })).toBe(true);
    expect(compileFilter({ 'a.b': 1 })({ a: [{ b: 2 }] })).toBe(false);
    expect(compileFilter({ 'a.b': { $gt: 1 } })({ a: { b: [0, 3] } })).toBe(true);
    expect(compileFilter({ 'a.b.c': 'x' })({ a: { b: [{ c: 'y' }, { c: 'x' }] } })).toBe(true);
    expect(compileFilter({ 'a.id': { $exists: false } })({ a: id })).toBe(true);
    expect(compileFilter({ 'a.getTime': { $exists: true } })({ a: new Date(0) })).toBe(false);
    expect(compileFilter({ 'a.b': null })({ a: {} })).toBe(true);
    expect(compileFilter({ 'pendingVote.id': 'op-1' })({ pendingVote: { id: 'op-1', votedAt: 5 } })).toBe(true);
    expect(compileFilter({ 'pendingVote.id': 'op-1' })({ pendingVote: null })).toBe(false);
  });
});

describe('the stand-in planner: several equality prefixes merged in sort order (SORT_MERGE)', () => {
  it('gives exactly the page a full sort gives, for $in on a plain field and on an array field', () => {
    const authors = Array.from({ length: 6 }, () => new ObjectId());
    const doc = fc.record({ author: fc.nat(5), tags: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 3 }), at: fc.nat(50) });
    fc.assert(
      fc.property(fc.array(doc, { maxLength: 200 }), fc.nat(20), fc.integer({ min: 1, max: 30 }), (docs, skip, limit) => {
        const collection = new Collection('db', 'articles');
        collection.createIndex({ name: 'author', key: { author: 1, createdAt: -1, _id: -1 } });
        collection.createIndex({ name: 'tags', key: { tagList: 1, createdAt: -1, _id: -1 } });
        for (const d of docs) collection.insert({ _id: new ObjectId(), author: authors[d.author], tagList: d.tags, createdAt: new Date(d.at * 1000) });
        const sort = { createdAt: -1, _id: -1 };
        const newestFirst = (a: { createdAt: Date; _id: ObjectId }, b: { createdAt: Date; _id: ObjectId }) =>
          b.createdAt.getTime() - a.createdAt.getTime() || b._id.toHexString().localeCompare(a._id.toHexString());
        for (const filter of [{ author: { $in: authors.slice(0, 3) } }, { tagList: { $in: ['a', 'c'] } }]) {
          const all = [...collection.docs.values()].filter((d) =>
            'author' in filter ? authors.slice(0, 3).some((a) => a.equals(d.author as ObjectId)) : (d.tagList as string[]).some((t) => t === 'a' || t === 'c'),
          );
          const expected = (all as { createdAt: Date; _id: ObjectId }[]).sort(newestFirst).slice(skip, skip + limit).map((d) => d._id.toHexString());
          expect(runQuery(collection, filter, { sort, skip, limit }).map((d) => (d._id as ObjectId).toHexString())).toEqual(expected);
          expect(JSON.stringify(explainPlan(collection, filter, sort))).toContain('SORT_MERGE');
        }
      }),
      { numRuns: 60 },
    );
  });
});
