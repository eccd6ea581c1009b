export const MAX_TAGS = 10;
export const MAX_TAG_LENGTH = 32;
const SAFE_TAG = /^[a-z0-9][a-z0-9-]*$/;

export type TagListResult = { ok: true; tags: string[] } | { ok: false; message: string };

/**
 * Normalises a tag list: trimmed, lowercased, inner whitespace and underscores become hyphens,
 * duplicates and empty entries dropped, sorted (RealWorld clients expect tags in alphabetical
 * order). At most 10 tags, each a safe slug of at most 32 characters (like Steem's tags).
 */
export function normalizeTagList(input: readonly string[]): TagListResult {
  const tags: string[] = [];
  for (const raw of input) {
    const tag = raw.trim().toLowerCase().replace(/[\s_]+/g, '-');
    if (tag === '') continue;
    if (tag.length > MAX_TAG_LENGTH) return { ok: false, message: `tag "${tag.slice(0, 40)}" is longer than ${MAX_TAG_LENGTH} characters` };
    if (!SAFE_TAG.test(tag)) return { ok: false, message: `tag "${tag}" may contain only letters, digits and hyphens` };
    if (!tags.includes(tag)) tags.push(tag);
  }
  if (tags.length > MAX_TAGS) return { ok: false, message: `at most ${MAX_TAGS} tags are allowed` };
  return { ok: true, tags: tags.sort() };
}
