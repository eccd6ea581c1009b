import { groupedDigits } from '../../domain/numbers';
import { longDate, plural } from '../../views/format';

/** The hand-written formats equal what Intl's English formats write (Intl is kept out of the platform process). */
describe('people-facing formats', () => {
  const englishDate = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' });

  it.each(['2026-12-02T23:30:00Z', '2026-01-01T00:00:00Z', '1999-02-28T12:00:00.123Z', '2024-02-29T05:00:00Z', '2030-07-31T23:59:59Z'])('writes %s as Intl does, in UTC', (iso) => {
    expect(longDate(iso)).toBe(englishDate.format(new Date(iso)));
  });

  it.each([0, 1, 12, 999, 1000, 1234, 65_536, 999_999, 1_000_000, 1_234_567_890, -1, -1234, -1_000_000, 12.5, 1234.25])('groups %d as toLocaleString("en") does', (count) => {
    expect(groupedDigits(count)).toBe(count.toLocaleString('en', { maximumFractionDigits: 20 }));
  });

  it('names one and many', () => {
    expect(plural(1, 'comment')).toBe('1 comment');
    expect(plural(12_000, 'reply', 'replies')).toBe('12,000 replies');
  });
});
