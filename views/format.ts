import { groupedDigits } from '../domain/numbers';

/*
 * Dates and counts for people, formatted by hand in English: using Intl would map several MiB of the
 * node binary's ICU locale data into the process's memory for one date format.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "December 2, 2026" (UTC), for people; `<time datetime>` carries the exact instant. */
export function longDate(iso: string): string {
  const date = new Date(iso);
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${groupedDigits(count)} ${count === 1 ? one : many}`;
}
