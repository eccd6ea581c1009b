import { periodStart } from '../../commands/gamification/leaderboards';
import { netUpvotes, UPVOTES_COUNTED_PER_DAY, weekIndex, weeklyStreaks } from '../../domain/gamification/streaks';

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe('weekIndex', () => {
  it('starts weeks on Monday 00:00 UTC', () => {
    expect(weekIndex(new Date('2026-11-23T00:00:00Z'))).toBe(weekIndex(new Date('2026-11-29T23:59:59Z')));
    expect(weekIndex(new Date('2026-11-22T23:59:59Z'))).toBe(weekIndex(new Date('2026-11-23T00:00:00Z')) - 1);
  });
});

describe('weeklyStreaks', () => {
  const now = day('2026-11-25'); // a Wednesday

  it('is zero without posts', () => {
    expect(weeklyStreaks([], now)).toEqual({ current: 0, longest: 0 });
  });

  it('counts consecutive weeks, several posts in one week counting once', () => {
    const posts = ['2026-11-03', '2026-11-04', '2026-11-10', '2026-11-17', '2026-11-24'].map(day);
    expect(weeklyStreaks(posts, now)).toEqual({ current: 4, longest: 4 });
  });

  it('keeps the streak current while this week is still open', () => {
    expect(weeklyStreaks(['2026-11-10', '2026-11-17'].map(day), now)).toEqual({ current: 2, longest: 2 });
  });

  it('breaks after a missed week but remembers the longest', () => {
    const posts = ['2026-10-06', '2026-10-13', '2026-10-20', '2026-11-10'].map(day);
    expect(weeklyStreaks(posts, now)).toEqual({ current: 0, longest: 3 });
    expect(weeklyStreaks([...posts, day('2026-11-24')], now)).toEqual({ current: 1, longest: 3 });
  });
});

describe('periodStart', () => {
  const now = new Date('2026-11-25T15:30:00Z'); // a Wednesday
  it.each([
    ['day', '2026-11-25T00:00:00.000Z'],
    ['week', '2026-11-23T00:00:00.000Z'],
    ['month', '2026-11-01T00:00:00.000Z'],
  ] as const)('starts the %s at %s (UTC)', (period, start) => {
    expect(periodStart(period, now).toISOString()).toBe(start);
  });
});

describe('netUpvotes (anti-farming)', () => {
  const at = (iso: string) => new Date(iso);
  const up = (voter: string, when = '2026-11-25T10:00:00Z') => ({ voter, weight: 10000, at: at(when) });

  it('counts distinct voters, not the author, and removed votes not at all', () => {
    expect(netUpvotes('me', [up('a'), up('b'), up('me'), { voter: 'c', weight: 0, at: at('2026-11-25T10:00:00Z') }])).toBe(2);
  });

  it('counts a voter once a UTC day however many posts they upvote, again the next day', () => {
    const votes = [up('a', '2026-11-25T00:00:00Z'), up('a', '2026-11-25T12:00:00Z'), up('a', '2026-11-25T23:59:59Z'), up('a', '2026-11-26T00:00:00Z')];
    expect(netUpvotes('me', votes)).toBe(2);
  });

  it('caps the upvotes counted in one day', () => {
    const day1 = Array.from({ length: 80 }, (_, i) => up(`v${i}`, '2026-11-25T08:00:00Z'));
    const day2 = Array.from({ length: 7 }, (_, i) => up(`v${i}`, '2026-11-26T08:00:00Z'));
    expect(netUpvotes('me', [...day1, ...day2])).toBe(UPVOTES_COUNTED_PER_DAY + 7);
    expect(netUpvotes('me', day1, 10)).toBe(10);
  });

  it('subtracts every downvote, never going below zero', () => {
    const down = (voter: string) => ({ voter, weight: -5000, at: at('2026-11-25T10:00:00Z') });
    expect(netUpvotes('me', [up('a'), up('b'), up('c'), down('d')])).toBe(2);
    expect(netUpvotes('me', [up('a'), down('b'), down('c')])).toBe(0);
  });
});
