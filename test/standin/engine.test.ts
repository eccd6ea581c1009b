import fc from 'fast-check';
import { ChunkedList } from '../../devinfra/mongo-standin/engine/chunkedList';
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
