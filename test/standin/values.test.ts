import fc from 'fast-check';
import { ObjectId } from 'bson';
import { compareValues, typeRank } from '../../devinfra/mongo-standin/engine/values';

describe('the stand-in value order', () => {
  it('orders ObjectIds by their bytes, as mongod does', () => {
    const bytes = fc.uint8Array({ minLength: 12, maxLength: 12 });
    fc.assert(
      fc.property(bytes, bytes, fc.boolean(), (a, b, same) => {
        const x = new ObjectId(Buffer.from(a));
        const y = same ? new ObjectId(x.toHexString()) : new ObjectId(Buffer.from(b));
        expect(Math.sign(compareValues(x, y))).toBe(Buffer.compare(Buffer.from(x.id), Buffer.from(y.id)));
      }),
      { numRuns: 2000 },
    );
  });

  it('ranks types in BSON comparison order', () => {
    const ordered = [null, 1, 'a', { a: 1 }, [1], Buffer.from('x'), new ObjectId(), true, new Date(0), /re/];
    expect(ordered.map(typeRank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 11]);
    expect(typeRank(undefined)).toBe(1);
    expect(typeRank(10n)).toBe(2);
  });
});
