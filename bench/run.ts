import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load, seedArticles } from './publishing';
import { startPlatformProcess } from './platformProcess';
import { voteLoad } from './votes';
import { settlementLoad } from './settlement';
import { cacheMemoryLoad } from './cacheMemory';
import { READ_CACHE_DEFAULTS } from '../server/readCache';
import { worstCasesSection } from './worstCases';
import { scaleLoad } from './scale';
import { processesLoad } from './processes';
import { pagesLoad } from './pages';
import { MANY_READERS, readersLoad } from './readers';

/**
 * `npm run bench [-- section ...]`: starts the platform as `npm start` does, drives it over HTTP,
 * and writes BENCHMARKS.md. Sections: publishing, votes, settlement, commentVotes and commentSettlement
 * (the votes and settlement sections with 50 % comment votes, and half the due posts comments), … (default: all).
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

/** Section options for comments (issue 21): the votes and settlement sections with half of the votes, or half of the posts, on comments. */
const COMMENT_SHARE = 0.5;

async function votesSection(): Promise<Section> {
  return votesRun(false);
}

async function commentVotesSection(): Promise<Section> {
  return votesRun(true);
}

async function votesRun(commentVotes: boolean): Promise<Section> {
  // A voter votes once a round and must wait 3 s (from the whole second) between votes: 6,000 voters
  // keep a round longer than 4 s up to 1,500 votes/s, so the spacing does not pace the client.
  const voters = Number(process.env.BENCH_VOTERS ?? 6000);
  const rounds = Number(process.env.BENCH_VOTE_ROUNDS ?? 3);
  const platform = await startPlatformProcess({ WORKER: 'off' });
  try {
    const result = await voteLoad(platform, { voters, articles: 30, concurrency: 64, rounds, commentVotes });
    const { cold, sustained } = result;
    const cpu = (r: typeof cold) => `${r.cpuMsPerVote.platform} / ${r.cpuMsPerVote.database} / ${r.cpuMsPerVote.loadGenerator}`;
    const row = (label: string, r: typeof cold, target: string) => `| ${label} | ${r.votes} | ${r.seconds.toFixed(2)} | **${r.votesPerSecond}** | ${target} | ${cpu(r)} |`;
    const allowed = Math.round(2000 / (sustained.cpuMsPerVote.platform + sustained.cpuMsPerVote.database + sustained.cpuMsPerVote.loadGenerator));
    const on = commentVotes
      ? `${result.articles} articles and a reply on each, half the voters voting on the replies (${COMMENT_SHARE * 100} % comment votes)`
      : `${result.articles} articles`;
    return {
      title: commentVotes ? 'Votes with comment votes (issue: comments earn like posts)' : 'Votes (issue: votes, rewards and reputation)',
      lines: [
        `${result.voters} distinct voters cast ${rounds} rounds of full upvotes on ${on} (each voter once a round, on a different post each round), ${result.concurrency} requests in flight, against \`npm start\` with \`WORKER=off\`.`,
        'Each vote is the whole decision: mana regenerated and charged, rshares, curation weight, counters, reputation, notification; the answer carries the article as the voter now sees it.',
        'The first round runs on a process that has not voted before (the JIT has not optimised the vote path yet); the rounds after it measure the rate the platform sustains.',
        '',
        '| rounds | votes | seconds | votes/s | target votes/s | CPU ms per vote: platform / database stand-in / load generator |',
        '|---|---|---|---|---|---|',
        row('first (cold process)', cold, '—'),
        row(`2–${rounds} (sustained)`, sustained, '1000'),
        '',
        `Final counters exact: ${result.countersExact ? 'yes' : 'NO'} (${result.detail}).`,
        `Votes held back by the client for Steem's 3-second rule in the sustained rounds: ${result.votesHeldBack}. 2 cores give 2,000 ms of CPU a second, so the sustained CPU costs allow at most ${allowed} votes/s.`,
      ],
    };
  } finally {
    await platform.stop();
  }
}

async function settlementSection(): Promise<Section> {
  return settlementRun(0);
}

async function commentSettlementSection(): Promise<Section> {
  return settlementRun(COMMENT_SHARE);
}

async function settlementRun(commentShare: number): Promise<Section> {
  const posts = Number(process.env.BENCH_SETTLEMENT_POSTS ?? 10_000);
  const runs = Math.max(1, Number(process.env.BENCH_SETTLEMENT_RUNS ?? 3));
  const results = [];
  for (let run = 0; run < runs; run++) {
    const result = await settlementLoad({ posts, votesPerPost: 10, users: 1000, commentShare });
    console.log(`settlement run ${run + 1}/${runs}: settled ${result.settledSeconds.toFixed(1)} s, in blocks ${result.includedSeconds.toFixed(1)} s, irreversible ${result.irreversibleSeconds.toFixed(1)} s`);
    results.push(result);
  }
  const median = [...results].sort((a, b) => a.irreversibleSeconds - b.irreversibleSeconds)[results.length >> 1]!;
  const perSecond = (count: number, seconds: number) => (seconds > 0 ? Math.round(count / seconds) : 0);
  const under = results.filter((r) => r.irreversibleSeconds < 60).length;
  return {
    title: commentShare > 0 ? 'Payout settlement with comments (issue: comments earn like posts)' : 'Payout settlement (issue: payout worker)',
    lines: [
      `${median.posts.toLocaleString('en')} due posts${median.comments > 0 ? ` (${median.comments.toLocaleString('en')} of them comments, interleaved with the articles they reply to, settled in the same batches)` : ''} with ${median.votes.toLocaleString('en')} votes from ${median.users.toLocaleString('en')} linked users, settled and paid by the payout worker with \`npm start\`'s settings on the devnet (a block every 3 s, irreversible 15 blocks later, as on Steem); database: ${median.backend.replace(/ \(pid \d+\)/, '')}. ${runs} runs, each on fresh databases; seeding the posts and votes straight into the database (not counted) took ${median.seedSeconds.toFixed(1)} s in the median run.`,
      '',
      '| run | all settled (ledger written, fund debited) | all transfers in blocks | all irreversible (target < 60 s) | payments / operations / transactions | treasury debit = ledger |',
      '|---|---|---|---|---|---|',
      ...results.map(
        (r, i) =>
          `| ${i + 1}${r === median ? ' (median)' : ''} | ${r.settledSeconds.toFixed(1)} s (${perSecond(r.posts, r.settledSeconds)} posts/s) | ${r.includedSeconds.toFixed(1)} s (${perSecond(r.operations, r.includedSeconds)} transfer operations/s) | **${r.irreversibleSeconds.toFixed(1)} s** | ${r.payments.toLocaleString('en')} / ${r.operations.toLocaleString('en')} / ${r.transactions} | ${r.conserved ? 'yes' : 'NO'} |`,
      ),
      '',
      `Under 60 s in ${under} of ${runs} runs. Of the median run's ${median.irreversibleSeconds.toFixed(1)} s, 45 s is the chain's irreversibility lag after the last transfer's block; blocks every 3 s make the rest vary by up to a block interval from run to run.`,
    ],
  };
}

async function cacheMemorySection(): Promise<Section> {
  const platform = await startPlatformProcess({ WORKER: 'off' });
  try {
    const r = await cacheMemoryLoad(platform);
    const mib = (value: number) => `${value.toFixed(0)} MiB`;
    return {
      title: 'Read cache memory (issue: abuse resistance)',
      lines: [
        `${r.articles} articles; anonymous readers ask \`npm start\` (\`WORKER=off\`, default \`READ_CACHE_MAX_BYTES\` of ${READ_CACHE_DEFAULTS.maxBytes / 2 ** 20} MiB and \`READ_CACHE_MAX_COMPUTING\` of ${READ_CACHE_DEFAULTS.maxComputing}) for ${r.urls.toLocaleString('en')} list URLs differing only in a parameter the route ignores (\`?limit=100&n=<i>\`), then ${r.urls.toLocaleString('en')} distinct valid list queries (\`?limit=<1..100>&offset=<0..49>\`, up to 100 articles each), 16 at a time.`,
        '',
        '| resident memory of the API process | MiB |',
        '|---|---|',
        `| after seeding and a warm-up read | ${mib(r.rssMiB.baseline)} |`,
        `| after ${r.urls.toLocaleString('en')} junk-parameter URLs (${r.junkSeconds.toFixed(1)} s) | ${mib(r.rssMiB.afterJunk)} |`,
        `| after ${r.urls.toLocaleString('en')} distinct queries (${r.distinctSeconds.toFixed(1)} s) | ${mib(r.rssMiB.afterDistinct)} |`,
        `| peak (VmHWM) | **${mib(r.rssMiB.peak)}** (target < 150 MB = 143 MiB) |`,
        '',
        `Cached anonymous reads afterwards (autocannon, 50 connections, ${r.list.path}): ${r.list.requestsPerSecond} req/s (p99 ${r.list.p99Ms} ms); one article: ${r.single.requestsPerSecond} req/s (p99 ${r.single.p99Ms} ms).`,
      ],
    };
  } finally {
    await platform.stop();
  }
}

const LOADED_MACHINE_NOTE = process.env.BENCH_NOTE ? [``, process.env.BENCH_NOTE] : [];

async function scaleSection(): Promise<Section> {
  const sizes = (process.env.BENCH_SCALE_SIZES ?? '10000,250000').split(',').map(Number);
  const r = await scaleLoad(sizes);
  const [small, large] = [sizes[0]!, sizes[sizes.length - 1]!];
  const rows = r.latencies.get(small)!.map((s, i) => {
    const l = r.latencies.get(large)![i]!;
    const ratio = l.p50Ms / s.p50Ms;
    return `| ${s.name} | \`${s.path.replace(/scale-article-\d+/, ':slug').replace(/tag=tag\d+/, 'tag=<tag>').replace(/author=[^&]+/, 'author=<author>')}\` | ${s.p50Ms} / ${s.p99Ms} | ${l.p50Ms} / ${l.p99Ms} | **${ratio.toFixed(2)}×** ${ratio <= 1.5 ? '(within 1.5×)' : '(OVER 1.5×)'} |`;
  });
  const count = (n: number) => n.toLocaleString('en');
  return {
    title: 'Scale: reads at 10,000 and 250,000 articles (issue: several processes, scale)',
    lines: [
      `Articles of ${(r.bodyBytes / 1024).toFixed(1)} KB of Markdown each (the shared sample article; its rendered HTML stored beside it), written straight into the offline stand-in with the driver in batches of 1,000 (${count(small)} in ${r.insertSeconds.get(small)!.toFixed(1)} s, ${count(large - small)} more in ${r.insertSeconds.get(large)!.toFixed(1)} s), then counted per tag and per author by \`npm run admin -- recount\` as after any bulk load (${r.recountSeconds.get(small)!.toFixed(1)} s at ${count(small)}, ${r.recountSeconds.get(large)!.toFixed(1)} s at ${count(large)}); 50 authors, 100 tags; the reader follows 20 authors.`,
      'Each query: 150 sequential requests (after 20 not counted) from one client with a session token, against `npm start` with `WORKER=off` and `READ_CACHE_MAX_BYTES=0` (no answer kept, so every request runs its queries); latency as the client sees it.',
      '',
      `| query | path | p50 / p99 ms at ${count(small)} | p50 / p99 ms at ${count(large)} | p50 ratio |`,
      '|---|---|---|---|---|',
      ...rows,
      '',
      `Plans at ${count(large)} (the stand-in's explain of the same finds): ${r.plans.map((p) => `${p.name}: ${p.plan}`).join('; ')}.`,
      `The stand-in process peaked at ${(r.standinPeakMiB / 1024).toFixed(1)} GiB holding ${count(large)} articles.`,
      ...LOADED_MACHINE_NOTE,
    ],
  };
}

async function processesSection(): Promise<Section> {
  const r = await processesLoad();
  const row = (label: string, x: { requestsPerSecond: number; p50Ms: number; p99Ms: number; errors: number; non2xx: number }) =>
    `| ${label} | ${x.requestsPerSecond} | ${x.p50Ms} | ${x.p99Ms} | ${x.errors + x.non2xx} |`;
  return {
    title: 'One or two API processes on one database (issue: several processes, scale)',
    lines: [
      `Anonymous \`GET /api/articles?limit=20\` (${r.articles.toLocaleString('en')} articles) with autocannon, 50 connections in all, 5 s warm-up then ${r.seconds} s measured: 50 connections on one API process, then 25 on each of two API processes (\`npm start\` with \`WORKER=off\`, the second joining the first's devnet) on one offline stand-in process.`,
      '',
      '| API processes | req/s | p50 ms | p99 ms | errors + non-2xx |',
      '|---|---|---|---|---|',
      row('1', r.one),
      ...r.two.perProcess.map((x, i) => row(`2: process ${i + 1}`, x)),
      `| 2: **total** | **${r.two.requestsPerSecond}** | | | |`,
      '',
      'Two cores serve the API processes, the stand-in and the load generator together, so a second process adds throughput only where one left a core idle.',
      ...LOADED_MACHINE_NOTE,
    ],
  };
}

async function pagesSection(): Promise<Section> {
  const platform = await startPlatformProcess({ WORKER: 'off' });
  try {
    const r = await pagesLoad(platform);
    const ratio = (page: typeof r.jsonList, json: typeof r.jsonList) => (json.requestsPerSecond > 0 ? page.requestsPerSecond / json.requestsPerSecond : 0);
    const row = (label: string, x: typeof r.jsonList, target: string) => `| ${label} | \`${x.path}\` | ${x.requestsPerSecond} | ${x.p50Ms} | ${x.p99Ms} | ${x.errors + x.non2xx} | ${target} |`;
    const articleRatio = ratio(r.articlePage, r.jsonArticle);
    const homeRatio = ratio(r.homePage, r.jsonList);
    return {
      title: 'Server-rendered pages (issue: pages, feeds, sitemap)',
      lines: [
        `${r.articles} articles; anonymous readers of \`npm start\` (\`WORKER=off\`), autocannon with 50 connections, each path warmed up 3 s then measured ${r.seconds} s, in turn in the same run: answers come from the read cache (recomputed once a second, \`READ_CACHE_TTL_MS\`).`,
        '',
        '| what | path | req/s | p50 ms | p99 ms | errors + non-2xx | target |',
        '|---|---|---|---|---|---|---|',
        row('JSON article', r.jsonArticle, '—'),
        row('article page', r.articlePage, `≥ 0.5 × JSON article: **${articleRatio.toFixed(2)} ×**`),
        row('JSON list', r.jsonList, '—'),
        row('home page', r.homePage, `≥ 0.3 × JSON list: **${homeRatio.toFixed(2)} ×**`),
      ],
    };
  } finally {
    await platform.stop();
  }
}

/** "N refused or failed", with why when any was: the answer's status and first error, or the connection's error. */
function refusedOrFailed(count: number, reasons: Record<string, number>): string {
  const why = Object.entries(reasons).map(([reason, times]) => `${times} × ${reason}`);
  return `${count} refused or failed${why.length > 0 ? `: ${why.join('; ')}` : ''}`;
}

async function readersSection(): Promise<Section> {
  const platform = await startPlatformProcess({ WORKER: 'off' });
  try {
    const r = await readersLoad(platform);
    const row = (name: string, x: { path: string; requestsPerSecond: number; p50Ms: number; p99Ms: number; errors: number; non2xx: number }, target: string) =>
      `| ${name} | \`${x.path.replace(/reader-bench-[^?]+/, ':slug')}\` | **${x.requestsPerSecond}** | ${x.p50Ms} | ${x.p99Ms} | ${x.errors + x.non2xx} | ${target} |`;
    const rate = (name: string) => r.reads.find((x) => x.name === name)!.result.requestsPerSecond;
    const ratio = (signedIn: string, anonymous: string) => (rate(signedIn) / rate(anonymous)).toFixed(2);
    const targets: Record<string, string> = {
      'signed-in list': `≥ 0.6 × anonymous list: **${ratio('signed-in list', 'anonymous list')} ×**`,
      'signed-in article': `≥ 0.6 × anonymous article: **${ratio('signed-in article', 'anonymous article')} ×**`,
      'signed-in feed': `≥ 0.4 × anonymous list: **${ratio('signed-in feed', 'anonymous list')} ×**`,
      [`signed-in list, ${MANY_READERS} readers in turn`]: `— (${ratio(`signed-in list, ${MANY_READERS} readers in turn`, 'anonymous list')} × anonymous list)`,
      [`signed-in article, ${MANY_READERS} readers in turn`]: `— (${ratio(`signed-in article, ${MANY_READERS} readers in turn`, 'anonymous article')} × anonymous article)`,
    };
    const p99 = (x: { p99Ms: number }) => (x.p99Ms < 50 ? `p99 ${x.p99Ms} ms < 50 ms` : `p99 ${x.p99Ms} ms: **not under 50 ms**`);
    return {
      title: 'Signed-in readers (issue: logged-in readers as fast as anonymous ones)',
      lines: [
        `${r.articles} articles of the sample article's size (${(r.bodyBytes / 1024).toFixed(1)} KB of Markdown), 50 authors; the signed-in reader follows 20 of them and has upvoted 50 articles. \`npm start\` with \`WORKER=off\`; autocannon, 50 connections, 3 s warm-up then ${r.seconds} s per path, in turn.`,
        '',
        '| reader | path | req/s | p50 ms | p99 ms | errors + non-2xx | target |',
        '|---|---|---|---|---|---|---|',
        ...r.reads.map(({ name, result }) => row(name, result, targets[name] ? `${targets[name]}; ${p99(result)}` : '—')),
        '',
        `The signed-in rows use one reader on all 50 connections: what the platform looks up about a reader (session, mutes, their marks on each article) is remembered for as long as shared answers are kept (one second; \`server/readerMemo.ts\`), so that reader is looked up about once a second. With ${MANY_READERS} readers in turn, each reader reads ${(rate(`signed-in list, ${MANY_READERS} readers in turn`) / MANY_READERS).toFixed(1)} times a second on the list, so most of those reads look their reader up (one batched set of queries for the requests arriving together).`,
        '',
        `While ${r.duringVotes.targetVotesPerSecond} votes/s are sent (on the 200 newest articles, so a tenth of them change the listed page; ${r.duringVotes.votesPerSecond} votes/s answered, ${refusedOrFailed(r.duringVotes.voteErrors, r.duringVotes.voteErrorReasons)}):`,
        '',
        '| reader | path | req/s | p50 ms | p99 ms | errors + non-2xx | target |',
        '|---|---|---|---|---|---|---|',
        ...r.duringVotes.reads.map(({ name, quiet, result }) =>
          row(name, result, `≥ 0.8 × the quiet ${name} measured just before (${quiet.requestsPerSecond} req/s): **${(result.requestsPerSecond / quiet.requestsPerSecond).toFixed(2)} ×**`),
        ),
        '',
        `The votes alone (no reader, ${r.duringVotes.targetVotesPerSecond}/s sent, ${r.votesAlone.votesPerSecond}/s answered) kept ${r.votesAlone.platformCores.toFixed(2)} cores busy in the platform, ${r.votesAlone.databaseCores.toFixed(2)} in the database stand-in and ${r.votesAlone.loadGeneratorCores.toFixed(2)} in the vote client, out of the 2 the platform, the stand-in and the load generators share: the readers' rates during the votes are bounded by what is left. The votes are sent from a thread of their own (\`bench/voteLoad.ts\`), so the readers' autocannon keeps the bench's main thread, over keep-alive connections that read only an answer's status and length (node:http's client took about twice the CPU).`,
        '',
        `The same ${r.duringVotes.targetVotesPerSecond} votes/s on the 200 oldest articles instead, which the list does not show (so no vote invalidates it; ${r.votesOffPage.votesPerSecond} votes/s answered, ${refusedOrFailed(r.votesOffPage.voteErrors, r.votesOffPage.voteErrorReasons)}): anonymous list ${r.votesOffPage.read.requestsPerSecond} req/s (p99 ${r.votesOffPage.read.p99Ms} ms), **${(r.votesOffPage.read.requestsPerSecond / r.votesOffPage.quiet.requestsPerSecond).toFixed(2)} ×** the quiet rate measured just before (${r.votesOffPage.quiet.requestsPerSecond} req/s). Votes on the listed articles are written into the kept list (docs/architecture.md, "Shared answers"), so the difference from the row above is what patching costs; the rest is the CPU the votes take.`,
      ],
    };
  } finally {
    await platform.stop();
  }
}

const SECTIONS: Record<string, () => Promise<Section>> = {
  publishing: publishingSection,
  votes: votesSection,
  settlement: settlementSection,
  commentVotes: commentVotesSection,
  commentSettlement: commentSettlementSection,
  cache: cacheMemorySection,
  worstCases: worstCasesSection,
  scale: scaleSection,
  processes: processesSection,
  pages: pagesSection,
  readers: readersSection,
};

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
