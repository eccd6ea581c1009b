/**
 * 1234567 → "1,234,567", as `toLocaleString('en')` writes integers, without Intl: the platform's use of
 * Intl would map several MiB of the node binary's ICU locale data into memory.
 */
export function groupedDigits(count: number): string {
  const [whole, fraction] = String(Math.abs(count)).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+$)/g, ',');
  return `${count < 0 ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}
