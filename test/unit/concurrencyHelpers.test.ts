import { GroupCommitter } from '../../lib/groupCommit';
import { coalescingLoader } from '../../lib/coalesce';
import { startPolling } from '../../workers/pollingLoop';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('coalescingLoader', () => {
  it('fetches the keys asked for in one turn of the event loop with one call, and caches nothing', async () => {
    const calls: string[][] = [];
    let version = 1;
    const loader = coalescingLoader<string, string>(async (keys) => {
      calls.push([...keys]);
      return new Map(keys.filter((key) => key !== 'missing').map((key) => [key, `${key}@${version}`]));
    });
    expect(await Promise.all([loader.load('a'), loader.load('b'), loader.load('a'), loader.load('missing')])).toEqual(['a@1', 'b@1', 'a@1', undefined]);
    expect(calls).toEqual([['a', 'b', 'a', 'missing']]);
    version = 2; // a write between two turns is seen by the next lookup
    expect(await loader.load('a')).toBe('a@2');
    expect(calls).toHaveLength(2);
  });

  it("splits a turn's keys into calls of at most maxBatchSize keys", async () => {
    const sizes: number[] = [];
    const loader = coalescingLoader<number, number>(async (keys) => {
      sizes.push(keys.length);
      return new Map(keys.map((key) => [key, key * 2]));
    }, { maxBatchSize: 50 });
    const keys = Array.from({ length: 120 }, (_, i) => i);
    expect(await Promise.all(keys.map((key) => loader.load(key)))).toEqual(keys.map((key) => key * 2));
    expect(sizes).toEqual([50, 50, 20]);
  });

  it('rejects every lookup of a failed fetch and recovers for later ones', async () => {
    let fail = true;
    const loader = coalescingLoader<string, string>(async (keys) => {
      if (fail) throw new Error('read failed');
      return new Map(keys.map((key) => [key, key]));
    });
    await expect(Promise.all([loader.load('a'), loader.load('b')])).rejects.toThrow('read failed');
    fail = false;
    await expect(loader.load('a')).resolves.toBe('a');
  });
});

describe('GroupCommitter', () => {
  it('hands items queued during a commit to the next commit together, in order', async () => {
    const batches: number[][] = [];
    const committer = new GroupCommitter<number, number>(async (_key, items) => {
      batches.push(items);
      await tick();
      return items.map((item) => item * 10);
    });
    const first = committer.submit('post', 1);
    const rest = [2, 3, 4].map((n) => committer.submit('post', n));
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('rejects every item of a failed commit and recovers for later ones', async () => {
    let fail = true;
    const committer = new GroupCommitter<string, string>(async (_key, items) => {
      if (fail) throw new Error('write failed');
      return items;
    });
    await expect(committer.submit('k', 'x')).rejects.toThrow('write failed');
    fail = false;
    await expect(committer.submit('k', 'y')).resolves.toBe('y');
  });
});

describe('startPolling', () => {
  const until = async (condition: () => boolean) => {
    for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 0));
    expect(condition()).toBe(true);
  };

  it('wakes from its pause at once, and a wake during a pass runs the next pass right after it', async () => {
    let passes = 0;
    let release: (() => void) | undefined;
    const loop = startPolling(
      async () => {
        passes += 1;
        if (passes === 2) await new Promise<void>((resolve) => (release = resolve));
      },
      3_600_000, // an hour: only a wake can start another pass within this test
      () => undefined,
    );
    await until(() => passes === 1);
    loop.wake();
    await until(() => passes === 2 && release !== undefined);
    loop.wake(); // while the second pass runs
    release!();
    await until(() => passes === 3);
    await loop.stop();
    loop.wake(); // after stop: nothing
    await tick();
    expect(passes).toBe(3);
  });
});
