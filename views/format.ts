const LONG_DATE = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' });

/** "2 December 2026" (UTC), for people; `<time datetime>` carries the exact instant. */
export function longDate(iso: string): string {
  return LONG_DATE.format(new Date(iso));
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}
