import { findLimitViolation, tryRenderMarkdown } from '../domain/markdown';
import { MAX_BODY_BYTES } from '../routes/articles/schema';
import { startPlatformProcess, type PlatformProcess } from './platformProcess';

/**
 * The slowest inputs the API still accepts, timed against `npm start`: the worst Markdown at the
 * size limit (chosen by rendering each candidate in-process first) through POST /api/preview, and
 * the revision list of an article whose 4,000-line body was rewritten.
 */
const N = MAX_BODY_BYTES;

const fill = (unit: string) => unit.repeat(Math.floor(N / unit.length));
/** Paragraphs of `runs` delimiter runs that marked cannot pair, as many as the delimiter budget allows. */
const unpaired = (unit: string, runs: number) => {
  const paragraph = `${unit.repeat(runs / 2)}\n\n`;
  const count = Math.floor(262_144 / (runs * runs));
  return (paragraph.repeat(count) + fill('plain words here and there. ')).slice(0, N);
};

/** The longest `make(k)` within the size limit that the Markdown limits still accept (binary search on k). */
export function justUnderLimits(make: (k: number) => string): string {
  const accepted = (k: number) => {
    const source = make(k);
    return Buffer.byteLength(source, 'utf8') <= N && findLimitViolation(source) === null;
  };
  let low = 0;
  let high = 1;
  while (high <= N && accepted(high)) [low, high] = [high, high * 2];
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (accepted(middle)) low = middle;
    else high = middle;
  }
  return make(low);
}

const repeated = (unit: string, prefix = '') => justUnderLimits((k) => prefix + unit.repeat(k));

export const WORST_CASE_CANDIDATES: Record<string, string> = {
  'long table (10,920 rows)': `|a|b|\n|-|-|\n${'|1|2|\n'.repeat((N - 12) / 6)}`,
  'wide table': `|${'a|'.repeat(N / 8)}\n|${'-|'.repeat(N / 8)}\n|${'x|'.repeat(N / 8)}\n`,
  'one-line quotes': fill('> a\n\n'),
  'list items': fill('- a\n'),
  'paragraphs': fill('a\n\n'),
  'lists nested 32 deep': fill(`${'> '.repeat(16)}${'- '.repeat(16)}a\n`),
  'open angle brackets': '<'.repeat(N),
  'open brackets': '['.repeat(N),
  'ampersands': '&'.repeat(N),
  'inline code': fill('`a` '),
  'emphasis': fill('*a* '),
  'unpaired **a_ (16 runs a paragraph)': unpaired('**a_', 16),
  'unpaired *a_ (64 runs a paragraph)': unpaired('*a_', 64),
  'unpaired _a* (256 runs a paragraph)': unpaired('_a*', 256),
  'link definitions': (Array.from({ length: 1500 }, (_, i) => `[r${i}]: http://x.example/${i}`).join('\n') + '\n\n' + fill('[r7] ')).slice(0, N),
  'setext underlines': fill('a\n-\n'),
  'bangs in one word': fill('!a.'),
  // Just under the size limit, one structure at a time.
  'table rows under the size limit': repeated('|1|2|\n', '|a|b|\n|-|-|\n'),
  'pipe-less rows of a wide table under the size limit': justUnderLimits((k) => `|${'a|'.repeat(300)}\n|${'-|'.repeat(300)}\n${'x\n'.repeat(k)}`),
  'wide table under the size limit': justUnderLimits((k) => `|${'a|'.repeat(k)}\n|${'-|'.repeat(k)}\n|${'x|'.repeat(k)}\n`),
  'one-line quotes under the size limit': repeated('> a\n\n'),
  'list items under the size limit': repeated('- a\n'),
  'ordered items under the size limit': repeated('1. a\n'),
  'paragraphs under the size limit': repeated('a\n\n'),
  'lists nested 32 deep under the size limit': repeated(`${'> '.repeat(16)}${'- '.repeat(16)}a\n`),
  'headings under the size limit': repeated('# a\n'),
  'thematic breaks under the size limit': repeated('***\n'),
  'hard breaks under the size limit': repeated('a  \n'),
  'open angle brackets under the size limit': repeated('<'),
  '"< " under the size limit': repeated('< '),
  'ampersands under the size limit': repeated('& '),
  'entity references under the size limit': repeated('&amp; '),
  'quotes (") under the size limit': repeated('"'),
  'links under the size limit': repeated('[a](b) '),
  'images under the size limit': repeated('![a](http://x.example/a.png) '),
  'reference links under the size limit': justUnderLimits((k) => Array.from({ length: 300 }, (_, i) => `[r${i}]: http://x.example/${i}`).join('\n') + '\n\n' + '[r7] '.repeat(k)),
  'bare URLs under the size limit': repeated('http://a.example '),
  'www autolinks under the size limit': repeated('www.a.example '),
  'e-mail autolinks under the size limit': repeated('a@b.example '),
  'inline code (8 spans a paragraph) under the size limit': repeated('`a` `b` `c` `d`\n\n'),
  'emphasis (8 runs a paragraph) under the size limit': repeated('*a* *b* *c* *d*\n\n'),
  'HTML tags <b>a</b> under the size limit': repeated('<b>a</b> '),
  '"<" in fenced code under the size limit': justUnderLimits((k) => `\`\`\`\n${'<'.repeat(k)}\n\`\`\`\n`),
  'setext underlines under the limits': repeated('a\n-\n'),
  '"!a " under the size limit': repeated('!a '),
  'short lines in one paragraph under the size limit': repeated('ab cd\n'),
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

function slowestAccepted(): { name: string; source: string; inProcessMs: number; refused: string[]; accepted: string[] } {
  const refused: string[] = [];
  const accepted: string[] = [];
  let slowest = { name: '', source: '', inProcessMs: -1 };
  for (const [name, source] of Object.entries(WORST_CASE_CANDIDATES)) {
    const times: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const started = performance.now();
      const outcome = tryRenderMarkdown(source);
      times.push(performance.now() - started);
      if (!outcome.ok) {
        refused.push(`${name} (${outcome.violation.limit})`);
        break;
      }
    }
    if (refused.some((r) => r.startsWith(name))) continue;
    const ms = median(times.slice(1));
    accepted.push(`${name} ${ms.toFixed(0)} ms`);
    if (ms > slowest.inProcessMs) slowest = { name, source, inProcessMs: ms };
  }
  return { ...slowest, refused, accepted };
}

async function timed(request: () => Promise<Response>): Promise<number> {
  const started = performance.now();
  const response = await request();
  await response.text();
  if (!response.ok) throw new Error(`answered ${response.status}`);
  return performance.now() - started;
}

const json = (body: unknown, token?: string) => ({
  headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Token ${token}` } : {}) },
  body: JSON.stringify(body),
});

async function revisionRead(platform: PlatformProcess): Promise<{ editMs: number; readMs: number[] }> {
  const name = `bench_reviser_${Date.now().toString(36)}`;
  const registered = await fetch(`${platform.url}/api/users`, { method: 'POST', ...json({ user: { username: name, email: `${name}@bench.example`, password: 'benchmark-password' } }) });
  const { user } = (await registered.json()) as { user: { token: string } };
  const lines = (f: (i: number) => string) => Array.from({ length: 4000 }, (_, i) => f(i)).join('\n');
  const created = await fetch(`${platform.url}/api/articles`, { method: 'POST', ...json({ article: { title: 'Rewritten', body: lines((i) => String(i % 10)) } }, user.token) });
  const { article } = (await created.json()) as { article: { slug: string } };
  const editMs = await timed(() => fetch(`${platform.url}/api/articles/${article.slug}`, { method: 'PUT', ...json({ article: { body: lines((i) => String((i * 7 + 3) % 10)) } }, user.token) }));
  const readMs: number[] = [];
  for (let i = 0; i < 20; i += 1) readMs.push(await timed(() => fetch(`${platform.url}/api/articles/${article.slug}/revisions`)));
  return { editMs, readMs };
}

export async function worstCasesSection(): Promise<{ title: string; lines: string[] }> {
  const worst = slowestAccepted();
  const platform = await startPlatformProcess({ WORKER: 'off' });
  try {
    await timed(() => fetch(`${platform.url}/api/preview`, { method: 'POST', ...json({ body: 'warm *the* worker' }) }));
    const preview: number[] = [];
    for (let i = 0; i < 10; i += 1) preview.push(await timed(() => fetch(`${platform.url}/api/preview`, { method: 'POST', ...json({ body: worst.source }) })));
    const revisions = await revisionRead(platform);
    const ms = (value: number) => value.toFixed(0);
    return {
      title: 'Worst accepted inputs (issue: bounded rendering and revision cost)',
      lines: [
        `Markdown candidates at the ${MAX_BODY_BYTES.toLocaleString('en')}-byte limit were rendered in-process (median of 4 after a warm-up); the slowest one still accepted, **${worst.name}** (${ms(worst.inProcessMs)} ms in-process), was then sent 10 times to \`POST /api/preview\` of \`npm start\` (rendered on the worker-thread pool).`,
        `Accepted, in-process: ${worst.accepted.join('; ')}.`,
        `Refused by the Markdown limits: ${worst.refused.length > 0 ? worst.refused.join(', ') : 'none'}.`,
        'The revision list is `GET /api/articles/:slug/revisions` (anonymous) of an article whose 4,000-line, 8 KB body was rewritten into another 4,000 lines; 20 reads.',
        '',
        '| request | median ms | max ms | target ms |',
        '|---|---|---|---|',
        `| \`POST /api/preview\` (${worst.name}) | **${ms(median(preview))}** | ${ms(Math.max(...preview))} | 100 |`,
        `| \`GET /api/articles/:slug/revisions\` after the 4,000-line rewrite | **${ms(median(revisions.readMs))}** | ${ms(Math.max(...revisions.readMs))} | 100 |`,
        `| \`PUT /api/articles/:slug\` (the rewrite itself, diff attempted once and stored as too large) | ${ms(revisions.editMs)} | — | — |`,
      ],
    };
  } finally {
    await platform.stop();
  }
}
