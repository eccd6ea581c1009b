import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { findLimitViolation, MARKDOWN_LIMITS, renderMarkdown, tryRenderMarkdown } from '../../domain/markdown';
import { SANITIZE_OPTIONS } from '../../domain/markdown/sanitizePolicy';
import { excerptOf, imageUrlsIn, readingTimeMinutes } from '../../domain/markdown/extract';
import { MAX_BODY_BYTES } from '../../routes/articles/schema';
import { sharedPath, skipWithoutShared } from '../support/shared';
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

  it('names the new limits: size, table scan and word work', () => {
    expect(findLimitViolation('a\n\n'.repeat(MARKDOWN_LIMITS.maxElements + 100))).toMatchObject({
      limit: 'size',
      message: `has more than ${MARKDOWN_LIMITS.maxElements.toLocaleString('en')} blocks, list items, table cells and links (markdown size limit)`,
    });
    expect(findLimitViolation(`|a|b|\n|-|-|\n${'|1|2|\n'.repeat(10920)}`)?.limit).toBe('size');
    expect(findLimitViolation(`|${'a|'.repeat(1000)}\n|${'-|'.repeat(1000)}\n${'x\n'.repeat(3000)}`)?.limit).toBe('size');
    expect(findLimitViolation(`${'a'.repeat(60)}\n-\n`.repeat(1000))?.message).toBe('has too many lines of only "-", "|" and ":" without a blank line between them (markdown table limit)');
    expect(findLimitViolation('!a.'.repeat(21000))?.message).toBe('has words too long and too full of !, *, _, ~ or ` (markdown word limit)');
    // The older limits are still reported first for the inputs they were made for.
    expect(findLimitViolation('_a'.repeat(32000))?.limit).toBe('delimiter_runs');
  });

  /** The largest k for which make(k) fits MAX_BODY_BYTES and passes the limits. */
  function largestAccepted(make: (k: number) => string): number {
    const accepted = (k: number) => Buffer.byteLength(make(k)) <= MAX_BODY_BYTES && findLimitViolation(make(k)) === null;
    let low = 0;
    let high = 1;
    while (high <= MAX_BODY_BYTES && accepted(high)) [low, high] = [high, high * 2];
    while (high - low > 1) {
      const middle = (low + high) >> 1;
      if (accepted(middle)) low = middle;
      else high = middle;
    }
    return low;
  }

  const STRUCTURES: Record<string, (k: number) => string> = {
    'table rows': (k) => `|a|b|\n|-|-|\n${'|1|2|\n'.repeat(k)}`,
    'wide table': (k) => `|${'a|'.repeat(k)}\n|${'-|'.repeat(k)}\n|${'x|'.repeat(k)}\n`,
    'pipe-less rows of a wide table': (k) => `|${'a|'.repeat(300)}\n|${'-|'.repeat(300)}\n${'x\n'.repeat(k)}`,
    'one-line quotes': (k) => '> a\n\n'.repeat(k),
    'list items': (k) => '- a\n'.repeat(k),
    'paragraphs': (k) => 'a\n\n'.repeat(k),
    'lists nested 32 deep': (k) => `${'> '.repeat(16)}${'- '.repeat(16)}a\n`.repeat(k),
    'headings': (k) => '# a\n'.repeat(k),
    'open angle brackets': (k) => '< '.repeat(k),
    'ampersands': (k) => '& '.repeat(k),
    'links': (k) => '[a](b) '.repeat(k),
    'images': (k) => '![a](http://x.example/a.png) '.repeat(k),
    'bare URLs': (k) => 'http://a.example '.repeat(k),
    'e-mail addresses': (k) => 'a@b.example '.repeat(k),
    'inline code': (k) => '`a` `b` `c` `d`\n\n'.repeat(k),
    'HTML tags': (k) => '<b>a</b> '.repeat(k),
    'hard breaks': (k) => 'a  \n'.repeat(k),
    '< in fenced code': (k) => `\`\`\`\n${'<'.repeat(k)}\n\`\`\`\n`,
  };

  it.each(Object.entries(STRUCTURES))('size limit: accepts %s just under it (rendered as before) and refuses just over it', (_name, make) => {
    const k = largestAccepted(make);
    expect(k).toBeGreaterThan(0);
    const under = make(k);
    const started = performance.now();
    expect(renderMarkdown(under)).toEqual(renderUnguarded(under));
    expect(performance.now() - started).toBeLessThan(BUDGET_MS);
    const over = make(k + 1);
    if (Buffer.byteLength(over) <= MAX_BODY_BYTES) expect(findLimitViolation(over)?.limit).toBe('size');
  });

  it('size limit: keeps long real articles (the 4,000-line body of the revision tests, 63 KB of the sample article)', () => {
    const lines = Array.from({ length: 4000 }, (_, i) => String(i % 10)).join('\n');
    expect(findLimitViolation(lines)).toBeNull();
    const prose = `## Section\n\n${`Some *text* with a [link](https://e.example). ${'Plain words of an ordinary sentence. '.repeat(5)}\n\n`.repeat(2)}`.repeat(200).slice(0, MAX_BODY_BYTES);
    expect(findLimitViolation(prose)).toBeNull();
  });

  it('keeps real Markdown: code fences, thematic breaks, nested lists and quotes a few levels deep', () => {
    const code = `\`\`\`python\n${'snake_case_name = other_name * 2\n'.repeat(200)}\`\`\``;
    const body = [code, '', '*'.repeat(80), '', '- a\n  - b\n    - c\n      > d\n      > > e', '', ...Array(20).fill('Some **bold**, _emphasis_, ~~struck~~ and `code`. '.repeat(5))].join('\n\n');
    expect(findLimitViolation(body)).toBeNull();
    expect(renderMarkdown(body)).toEqual(renderUnguarded(body));
  });

  const samplePath = sharedPath('sample-article.txt');
  if (!samplePath) skipWithoutShared('renders the shared sample article exactly as before', 'sample-article.txt');
  else it('renders the shared sample article exactly as before', () => {
    const sample = readFileSync(samplePath, 'utf8');
    expect(findLimitViolation(sample)).toBeNull();
    expect(findLimitViolation(`${sample}\n\n`.repeat(Math.floor(MAX_BODY_BYTES / (sample.length + 2))))).toBeNull();
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
