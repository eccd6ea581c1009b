import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load, seedArticles } from './publishing';
import { startPlatformProcess } from './platformProcess';
import { voteLoad } from './votes';
import { settlementLoad } from './settlement';

/**
 * `npm run bench [-- section ...]`: starts the platform as `npm start` does, drives it over HTTP,
 * and writes BENCHMARKS.md. Sections: publishing (default: all).
 */
type Section = { title: string; lines: string[] };

async function publishingSection(): Promise<Section> {
  const platform = await startPlatformProcess({ WORKER: 'off' });
  try {
    const seedStarted = Date.now();
    const slugs = await seedArticles(platform, 10_000);
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    const one = `/api/articles/${slugs[slugs.length >> 1]}`;
    await load(platform.url, '/api/articles?limit=20', 5);
    await load(platform.url, one, 5);
    const list = await load(platform.url, '/api/articles?limit=20', 15);
    const single = await load(platform.url, one, 15);
    const peak = platform.peakRssMiB();
    const databasePeak = platform.childrenPeakRssMiB();
    const row = (r: typeof list, target: number) =>
      `| \`GET ${r.path.startsWith('/api/articles?') ? r.path : '/api/articles/:slug'}\` | ${r.requestsPerSecond} | ${target} | ${r.p50Ms} | ${r.p99Ms} | ${r.errors + r.non2xx} |`;
    return {
      title: 'Publishing API (issue: RealWorld core)',
      lines: [
        `10,000 articles seeded through the API in ${seedSeconds.toFixed(1)} s (${Math.round(10_000 / seedSeconds)} articles/s, 16 concurrent writers).`,
        'Load: autocannon, 50 connections, 5 s warm-up then 15 s measured, anonymous reads, `npm start` with `WORKER=off`.',
        '',
        '| path | req/s | target req/s | p50 ms | p99 ms | errors + non-2xx |',
        '|---|---|---|---|---|---|',
        row(list, 6000),
        row(single, 10000),
        '',
        `Peak resident memory of the platform process (VmHWM): **${peak.toFixed(0)} MiB** (target < 150 MB).`,
        databasePeak > 0
          ? `The offline database stand-in runs as its own process (as a local mongod would) and peaked at ${databasePeak.toFixed(0)} MiB holding the 10,000 articles.`
          : 'The database ran outside the platform process (MONGODB_URI).',
      ],
    };
  } finally {
    await platform.stop();
  }
}

async function votesSection(): Promise<Section> {
  const platform = await startPlatformProcess({ WORKER: 'off' });
  try {
    const result = await voteLoad(platform, 3000, 30, 64);
    return {
      title: 'Votes (issue: votes, rewards and reputation)',
      lines: [
        `${result.votes} full upvotes from ${result.voters} distinct voters on ${result.articles} articles, 64 requests in flight, against \`npm start\` with \`WORKER=off\`.`,
        'Each vote is the whole decision: mana regenerated and charged, rshares, curation weight, counters, reputation, notification.',
        '',
        '| votes | seconds | votes/s | target votes/s | final counters exact |',
        '|---|---|---|---|---|',
        `| ${result.votes} | ${result.seconds.toFixed(2)} | ${result.votesPerSecond} | 1000 | ${result.countersExact ? 'yes' : `NO (${result.detail})`} |`,
        '',
        `Check: ${result.detail}.`,
      ],
    };
  } finally {
    await platform.stop();
  }
}

async function settlementSection(): Promise<Section> {
  const posts = Number(process.env.BENCH_SETTLEMENT_POSTS ?? 10_000);
  const r = await settlementLoad({ posts, votesPerPost: 10, users: 1000 });
  const perSecond = (count: number, seconds: number) => (seconds > 0 ? Math.round(count / seconds) : 0);
  return {
    title: 'Payout settlement (issue: payout worker)',
    lines: [
      `${r.posts.toLocaleString('en')} due posts with ${r.votes.toLocaleString('en')} votes from ${r.users.toLocaleString('en')} linked users, settled and paid by the payout worker on the devnet (a block every 3 s, irreversible 15 blocks later, as on Steem); database: ${r.backend}. Seeding them straight into the database took ${r.seedSeconds.toFixed(1)} s (not counted).`,
      '',
      '| stage | seconds from worker start | throughput |',
      '|---|---|---|',
      `| all posts settled (ledger written, fund debited) | ${r.settledSeconds.toFixed(1)} | ${perSecond(r.posts, r.settledSeconds)} posts/s |`,
      `| all transfers included in blocks | ${r.includedSeconds.toFixed(1)} | ${perSecond(r.operations, r.includedSeconds)} operations/s (${r.payments.toLocaleString('en')} payments, ${r.operations.toLocaleString('en')} operations in ${r.transactions} transactions) |`,
      `| all irreversible (settled) | **${r.irreversibleSeconds.toFixed(1)}** (target < 60) | |`,
      '',
      `Treasury debit equals the ledger to the unit: ${r.conserved ? 'yes' : 'NO'}.`,
    ],
  };
}

const SECTIONS: Record<string, () => Promise<Section>> = { publishing: publishingSection, votes: votesSection, settlement: settlementSection };

async function main(): Promise<void> {
  const requested = process.argv.slice(2);
  const names = requested.length > 0 ? requested : Object.keys(SECTIONS);
  const sections: Section[] = [];
  for (const name of names) {
    const run = SECTIONS[name];
    if (!run) throw new Error(`unknown bench section ${name}; known: ${Object.keys(SECTIONS).join(', ')}`);
    console.log(`bench: ${name}…`);
    const section = await run();
    console.log(section.lines.join('\n'));
    sections.push(section);
  }
  const header = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
    'The load generator runs on the same machine as the server, so the figures include its CPU use.',
    '',
  ];
  const file = path.resolve(__dirname, '..', 'BENCHMARKS.md');
  const merged = new Map(previousSections(file).map((s) => [s.title, s.lines]));
  for (const section of sections) merged.set(section.title, section.lines);
  const body = [...merged].flatMap(([title, lines]) => [`## ${title}`, '', ...lines, '']);
  writeFileSync(file, [...header, ...body].join('\n'));
}

/** Sections of an earlier run, so running one section keeps the others' figures. */
function previousSections(file: string): Section[] {
  if (!existsSync(file)) return [];
  const sections: Section[] = [];
  for (const chunk of readFileSync(file, 'utf8').split(/^## /m).slice(1)) {
    const [title = '', ...rest] = chunk.split('\n');
    while (rest.length > 0 && rest[0] === '') rest.shift();
    while (rest.length > 0 && rest[rest.length - 1] === '') rest.pop();
    sections.push({ title, lines: rest });
  }
  return sections;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
