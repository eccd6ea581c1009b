import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { findLimitViolation, MARKDOWN_LIMITS, renderMarkdown, tryRenderMarkdown } from '../../domain/markdown';
import { SANITIZE_OPTIONS } from '../../domain/markdown/sanitizePolicy';
import { excerptOf, imageUrlsIn, readingTimeMinutes } from '../../domain/markdown/extract';
import { MAX_BODY_BYTES } from '../../routes/articles/schema';
import { sharedPath } from '../support/shared';
import { adversarialMarkdown, KNOWN_PATHOLOGIES } from './markdownArbitraries';

/** The pipeline as it was before the limits: the reference accepted input must still match. */
const unguarded = new Marked({ gfm: true, breaks: false, async: false });
function renderUnguarded(source: string) {
  const withImages = source.replace(/^(https?:\/\/\S+\.(?:png|jpe?g|gif|webp|avif))$/gim, (url) => `![](${url})`);
  const html = sanitizeHtml(unguarded.parse(withImages) as string, SANITIZE_OPTIONS);
  return { html, excerpt: excerptOf(html), readingTimeMinutes: readingTimeMinutes(html), images: imageUrlsIn(html) };
}

/**
 * Far below what the unguarded renderer took on the quadratic inputs (5-70 s, or a stack overflow),
 * and generous enough for this shared 2-core machine under load, where a 64 KiB table alone takes
 * 0.4-2 s.
 */
const BUDGET_MS = 3000;

describe('markdown limits (domain)', () => {
  it.each(Object.entries(KNOWN_PATHOLOGIES))('refuses or quickly renders the known pathology %s', (_name, source) => {
    const started = performance.now();
    const outcome = tryRenderMarkdown(source);
    expect(performance.now() - started).toBeLessThan(BUDGET_MS);
    if (!outcome.ok) expect(outcome.violation.message).toMatch(/\(markdown .* limit\)$/);
  });

  it('names the limit a body breaks', () => {
    expect(findLimitViolation('>'.repeat(3000))?.message).toBe(`nests deeper than ${MARKDOWN_LIMITS.maxDepth} levels (markdown depth limit)`);
    expect(findLimitViolation('1. '.repeat(1000))?.limit).toBe('depth');
    expect(findLimitViolation(`${'  '.repeat(40)}- deep`)?.limit).toBe('depth');
    expect(findLimitViolation('_a'.repeat(32000))?.limit).toBe('delimiter_runs');
    expect(findLimitViolation(`${'*'.repeat(20000)}a${'*'.repeat(19998)}`)?.limit).toBe('delimiter_run_length');
    expect(() => renderMarkdown('>'.repeat(3000))).toThrow('nests deeper than 32 levels');
  });

  it('keeps real Markdown: code fences, thematic breaks, nested lists and quotes a few levels deep', () => {
    const code = `\`\`\`python\n${'snake_case_name = other_name * 2\n'.repeat(200)}\`\`\``;
    const body = [code, '', '*'.repeat(80), '', '- a\n  - b\n    - c\n      > d\n      > > e', '', ...Array(20).fill('Some **bold**, _emphasis_, ~~struck~~ and `code`. '.repeat(5))].join('\n\n');
    expect(findLimitViolation(body)).toBeNull();
    expect(renderMarkdown(body)).toEqual(renderUnguarded(body));
  });

  const samplePath = sharedPath('sample-article.txt');
  (samplePath ? it : it.skip)('renders the shared sample article exactly as before', () => {
    const sample = readFileSync(samplePath!, 'utf8');
    expect(findLimitViolation(sample)).toBeNull();
    expect(renderMarkdown(sample)).toEqual(renderUnguarded(sample));
  });

  it('property: adversarial Markdown up to the size limit is refused or rendered within the budget, never throws', () => {
    fc.assert(
      fc.property(adversarialMarkdown(MAX_BODY_BYTES), (source) => {
        const started = performance.now();
        const outcome = tryRenderMarkdown(source);
        const elapsed = performance.now() - started;
        if (elapsed >= BUDGET_MS) throw new Error(`accepted input took ${elapsed.toFixed(0)} ms (${source.length} chars)`);
        return outcome.ok || /\(markdown .* limit\)$/.test(outcome.violation.message);
      }),
      { numRuns: 150 },
    );
  });

  it('property: accepted input renders exactly as the unguarded renderer did (RENDERER_VERSION unchanged)', () => {
    fc.assert(
      fc.property(adversarialMarkdown(4096), (source) => {
        const outcome = tryRenderMarkdown(source);
        if (outcome.ok) expect(outcome.rendered).toEqual(renderUnguarded(source));
      }),
      { numRuns: 300 },
    );
  });
});
