/**
 * Code-unit order of two strings, for sorts whose order only has to be stable (ids, keys, statuses).
 * `localeCompare` would load ICU collation data into the process for nothing.
 */
export function ordinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
