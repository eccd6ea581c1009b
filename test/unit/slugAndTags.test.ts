import { slugCandidate, slugify } from '../../domain/articles/slug';
import { MAX_TAGS, normalizeTagList } from '../../domain/articles/tags';

describe('slugify', () => {
  it.each([
    ['How to train your dragon', 'how-to-train-your-dragon'],
    ['  Crème brûlée: a recipe!  ', 'creme-brulee-a-recipe'],
    ['Facebook asks US banks to share customer data', 'facebook-asks-us-banks-to-share-customer-data'],
    ['🚀🚀🚀', 'article'],
    ['a/b?c#d', 'a-b-c-d'],
  ])('%j → %j', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it('keeps slugs short and free of trailing hyphens', () => {
    const slug = slugify(`${'word '.repeat(40)}`);
    expect(slug.length).toBeLessThanOrEqual(96);
    expect(slug).not.toMatch(/-$/);
  });

  it('adds a random suffix after a collision', () => {
    expect(slugCandidate('title', 0, () => 'x')).toBe('title');
    expect(slugCandidate('title', 1, () => 'ab12')).toBe('title-ab12');
  });
});

describe('normalizeTagList', () => {
  it('trims, lowercases, hyphenates and deduplicates', () => {
    expect(normalizeTagList([' Dragons ', 'dragons', 'How To', 'snake_case', ''])).toEqual({ ok: true, tags: ['dragons', 'how-to', 'snake-case'] });
  });

  it.each([[['<script>']], [['a'.repeat(33)]], [['-leading']], [Array.from({ length: MAX_TAGS + 1 }, (_, i) => `t${i}`)]])('refuses %j', (tags) => {
    expect(normalizeTagList(tags).ok).toBe(false);
  });
});
