import { GroupCommitter } from '../../server/groupCommit';
import { KeyedMutex } from '../../server/keyedMutex';
import { startPolling } from '../../workers/pollingLoop';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedMutex', () => {
  it('runs tasks of one key one at a time, in order, and other keys alongside', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const task = (key: string, name: string) =>
      mutex.run(key, async () => {
        log.push(`start ${name}`);
        await tick();
        log.push(`end ${name}`);
        return name;
      });
    const results = await Promise.all([task('a', 'a1'), task('a', 'a2'), task('b', 'b1')]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
  });

  it('keeps going after a task fails', async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.run('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(mutex.run('k', async () => 'next')).resolves.toBe('next');
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
