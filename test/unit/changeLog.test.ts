import { ChangeLog } from '../../server/changeLog';

describe('ChangeLog', () => {
  it('tells a run whether a key it depends on changed after it started, and only then', () => {
    const log = new ChangeLog();
    const other = log.start();
    log.change(['a']);
    const run = log.start();
    log.change(['b']);
    expect(log.changedSince(run, ['a'])).toBe(false);
    expect(log.changedSince(run, ['b'])).toBe(true);
    expect(log.changedSince(other, ['a', 'c'])).toBe(true);
  });

  it('counts a change to everything against every running computation', () => {
    const log = new ChangeLog();
    const run = log.start();
    log.changeEverything();
    expect(log.changedSince(run, [])).toBe(true);
    expect(log.changedSince(log.start(), ['a'])).toBe(false);
  });

  it('keeps, when it prunes, every change a running computation started before, and holds none once all have finished', () => {
    const log = new ChangeLog(2);
    const old = log.start();
    log.change(['a']);
    const recent = log.start();
    log.change(['b']);
    log.finish(old);
    // Over the threshold: what went before every running computation ('a') may go; 'b' came after 'recent' started.
    log.change(['c']);
    expect(log.changedSince(recent, ['b'])).toBe(true);
    expect(log.changedSince(recent, ['c'])).toBe(true);
    expect(log.changedSince(recent, ['a'])).toBe(false);
    log.finish(recent);
    const next = log.start();
    expect(log.changedSince(next, ['a', 'b', 'c'])).toBe(false);
  });
});
