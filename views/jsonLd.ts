/**
 * JSON for a `<script type="application/ld+json">` block: `<`, `>`, `&` and the two JavaScript line
 * separators are escaped as `\uXXXX` (still the same JSON), so no value can close the element
 * (`</script>`) or open a comment in it, whatever an author writes in a title.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
