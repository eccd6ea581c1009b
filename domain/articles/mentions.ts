/** At most this many people are notified from one body, so a post cannot be used to spam everyone. */
export const MAX_MENTIONS_PER_BODY = 10;

/**
 * Usernames mentioned as `@name` in Markdown, lowercased, first occurrence first. Code spans and
 * fenced code are ignored, as are email addresses and URLs (`a@b.com`, `/@name`).
 */
export function extractMentions(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```|~~~[\s\S]*?~~~/g, ' ').replace(/`[^`\n]*`/g, ' ');
  const names: string[] = [];
  for (const match of prose.matchAll(/(^|[^A-Za-z0-9_@/.-])@([A-Za-z0-9_-]{1,32})(?![A-Za-z0-9_@.-]*[A-Za-z0-9_])/g)) {
    const name = match[2]!.toLowerCase();
    if (!names.includes(name)) names.push(name);
    if (names.length === MAX_MENTIONS_PER_BODY) break;
  }
  return names;
}
