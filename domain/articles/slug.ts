const MAX_SLUG_LENGTH = 96;

/**
 * A URL-safe slug from a title: lowercase ASCII letters, digits and single hyphens. Accents are
 * folded ("Crème brûlée" → "creme-brulee"); a title with nothing sluggable gives "article".
 */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, '');
  return slug || 'article';
}

/** The slug to try after `attempt` collisions: the base, then the base with a random suffix. */
export function slugCandidate(base: string, attempt: number, random: () => string): string {
  return attempt === 0 ? base : `${base}-${random()}`;
}
