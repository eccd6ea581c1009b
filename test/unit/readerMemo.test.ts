import { ManualClock } from '../../lib/clock';
import { ReaderMemo } from '../../server/readerMemo';

const TTL = 1000;

function memo(maxBytes = 1 << 20) {
  const clock = new ManualClock();
  return { clock, memo: new ReaderMemo(clock, { ttlMs: TTL, maxBytes }) };
}

/** A computation that finishes when told, counting its calls. */
function gate<T>(value: T) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let calls = 0;
  return {
    compute: async () => {
      calls += 1;
      await released;
      return value;
    },
    release,
    calls: () => calls,
  };
}

describe('ReaderMemo', () => {
  it('remembers a value for its time and computes it again after', async () => {
    const { clock, memo: readers } = memo();
    let calls = 0;
    const compute = async () => ++calls;
    expect(await readers.remember('r1', 'state', compute, () => 8)).toBe(1);
    clock.advance(TTL - 1);
    expect(await readers.remember('r1', 'state', compute, () => 8)).toBe(1);
    clock.advance(1);
    expect(await readers.remember('r1', 'state', compute, () => 8)).toBe(2);
    expect(await readers.remember('r2', 'state', compute, () => 8)).toBe(3);
  });

  it('computes only the keys it does not remember, in the order asked', async () => {
    const { memo: readers } = memo();
    const asked: string[][] = [];
    const compute = async (missing: string[]) => {
      asked.push(missing);
      return missing.map((key) => `value of ${key}`);
    };
    expect(await readers.rememberEach('r', ['a', 'b'], compute, () => 8)).toEqual(['value of a', 'value of b']);
    expect(await readers.rememberEach('r', ['c', 'a', 'd', 'b'], compute, () => 8)).toEqual(['value of c', 'value of a', 'value of d', 'value of b']);
    expect(await readers.rememberEach('r', ['d', 'c'], compute, () => 8)).toEqual(['value of d', 'value of c']);
    expect(asked).toEqual([['a', 'b'], ['c', 'd']]);
  });

  it('forgets a reader at once, and keeps nothing computed for them across the forget', async () => {
    const { memo: readers } = memo();
    await readers.remember('r', 'state', async () => 'old', () => 8);
    readers.forget('r');
    const slow = gate('read before the write');
    const pending = readers.remember('r', 'state', slow.compute, () => 8);
    readers.forget('r'); // the reader's write lands while the read is under way
    slow.release();
    expect(await pending).toBe('read before the write'); // that read answers with what it found…
    expect(await readers.remember('r', 'state', async () => 'new', () => 8)).toBe('new'); // …but is not kept
    expect(await readers.remember('r', 'state', async () => 'newer', () => 8)).toBe('new');
  });

  it('keeps what is computed for other readers across a forget, and nothing across a forget of everyone', async () => {
    const { memo: readers } = memo();
    const other = gate('other reader');
    const pending = readers.remember('other', 'state', other.compute, () => 8);
    readers.forget('r');
    other.release();
    await pending;
    expect(await readers.remember('other', 'state', async () => 'again', () => 8)).toBe('other reader');

    const everyone = gate('before forgetAll');
    const inFlight = readers.remember('someone', 'state', everyone.compute, () => 8);
    readers.forgetAll();
    everyone.release();
    await inFlight;
    expect(await readers.remember('someone', 'state', async () => 'after', () => 8)).toBe('after');
    expect(await readers.remember('other', 'state', async () => 'after', () => 8)).toBe('after');
  });

  it('holds its values within the byte budget, least recently used readers dropped first', async () => {
    const { memo: readers } = memo(4096);
    for (let i = 0; i < 100; i += 1) await readers.remember(`reader${i}`, 'state', async () => i, () => 1000);
    expect(readers.bytes).toBeLessThanOrEqual(4096);
    expect(await readers.remember('reader99', 'state', async () => -1, () => 1000)).toBe(99);
    expect(await readers.remember('reader0', 'state', async () => -1, () => 1000)).toBe(-1);
  });

  it('keeps nothing with no budget', async () => {
    const { memo: readers } = memo(0);
    let calls = 0;
    await readers.remember('r', 'state', async () => ++calls, () => 8);
    await readers.remember('r', 'state', async () => ++calls, () => 8);
    expect(calls).toBe(2);
  });
});
