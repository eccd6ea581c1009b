import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import autocannon from 'autocannon';
import type { LoadResult } from './publishing';
import type { PlatformProcess } from './platformProcess';
import { votingWhile } from './voteLoad';

/**
 * Signed-in readers against anonymous ones (issue 19): the same list and article read with and
 * without a session token, the feed, and both lists while readers vote at a sustained rate.
 */
export interface ReadersResult {
  articles: number;
  bodyBytes: number;
  seconds: number;
  reads: { name: string; result: LoadResult }[];
  /** Each read measured quiet just before it is measured during the votes (same platform state, a minute apart at most), and during them. */
  duringVotes: { targetVotesPerSecond: number; votesPerSecond: number; voteErrors: number; voteErrorReasons: Record<string, number>; reads: { name: string; quiet: LoadResult; result: LoadResult }[] };
  /** The votes sent with no reader: their rate and the CPU (cores) the platform, the database and the vote client spent on them. */
  votesAlone: { votesPerSecond: number; platformCores: number; databaseCores: number; loadGeneratorCores: number };
  /** The anonymous list while the same votes land only on articles it does not show (nothing it holds is invalidated). */
  votesOffPage: { votesPerSecond: number; voteErrors: number; voteErrorReasons: Record<string, number>; quiet: LoadResult; read: LoadResult };
}

/** The shared sample article (the size issue 19 was measured with), or a stand-in text when ../shared is absent. */
function sampleBody(): string {
  const sample = path.resolve(__dirname, '..', '..', 'shared', 'sample-article.txt');
  return existsSync(sample) ? readFileSync(sample, 'utf8') : '## A section\n\nSome **Markdown** with a [link](https://example.com), `code`, and a list:\n\n- one\n- two\n\n> a quote\n\n'.repeat(30);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

async function call(base: string, method: string, route: string, body?: unknown, token?: string): Promise<Record<string, unknown>> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${base}${route}`,
      {
        method,
        agent,
        headers: { ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}), ...(token ? { Authorization: `Token ${token}` } : {}) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((response.statusCode ?? 500) >= 300) reject(new Error(`${method} ${route} answered ${response.statusCode}: ${text.slice(0, 200)}`));
          else resolve(text ? (JSON.parse(text) as Record<string, unknown>) : {});
        });
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

async function inParallel<T>(count: number, concurrency: number, run: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) results[i] = await run(i);
    }),
  );
  return results;
}

async function register(base: string, name: string): Promise<string> {
  const { user } = (await call(base, 'POST', '/api/users', { user: { username: name, email: `${name}@bench.example`, password: 'benchmark-password' } })) as { user: { token: string } };
  return user.token;
}

/** `token`: one reader on every connection; several: each request by the next reader in turn. */
async function measure(base: string, route: string, seconds: number, token?: string | readonly string[]): Promise<LoadResult> {
  const tokens = token === undefined ? [] : typeof token === 'string' ? [token] : token;
  let next = 0;
  const requests = [{ setupRequest: (request: autocannon.Request) => (tokens.length === 0 ? request : { ...request, headers: { ...request.headers, authorization: `Token ${tokens[next++ % tokens.length]}` } }) }];
  await autocannon({ url: `${base}${route}`, connections: 50, duration: 3, requests });
  const result = await autocannon({ url: `${base}${route}`, connections: 50, duration: seconds, requests });
  return {
    path: route,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** Distinct signed-in readers taking turns in the many-readers measurements. */
export const MANY_READERS = 2500;

export async function readersLoad(platform: PlatformProcess, options: { articles?: number; seconds?: number; votesPerSecond?: number } = {}): Promise<ReadersResult> {
  const articles = options.articles ?? 1000;
  const seconds = options.seconds ?? 10;
  const votesPerSecond = options.votesPerSecond ?? 500;
  const base = platform.url;
  const stamp = Date.now().toString(36);
  const body = sampleBody();

  const authorTokens = await inParallel(50, 8, (i) => register(base, `br_author_${stamp}_${i}`));
  const slugs = await inParallel(articles, 16, async (i) => {
    const { article } = (await call(base, 'POST', '/api/articles', { article: { title: `Reader bench ${i} ${stamp}`, description: 'bench', body, tagList: [`tag${i % 20}`] } }, authorTokens[i % authorTokens.length])) as {
      article: { slug: string; author: { username: string } };
    };
    return article.slug;
  });
  // The signed-in reader follows 20 authors and has upvoted 50 articles: their marks are on every page.
  const reader = await register(base, `br_reader_${stamp}`);
  for (let i = 0; i < 20; i += 1) await call(base, 'POST', `/api/profiles/br_author_${stamp}_${i}/follow`, undefined, reader);
  for (let i = 0; i < 50; i += 1) await call(base, 'POST', `/api/articles/${slugs[slugs.length - 1 - i * 3]}/favorite`, undefined, reader);
  const voters = await inParallel(Math.max(votesPerSecond * 5, MANY_READERS), 16, (i) => register(base, `br_voter_${stamp}_${i}`));

  const list = '/api/articles?limit=20';
  const one = `/api/articles/${slugs[slugs.length - 2]}`;
  const reads: ReadersResult['reads'] = [];
  reads.push({ name: 'anonymous list', result: await measure(base, list, seconds) });
  reads.push({ name: 'signed-in list', result: await measure(base, list, seconds, reader) });
  reads.push({ name: 'anonymous article', result: await measure(base, one, seconds) });
  reads.push({ name: 'signed-in article', result: await measure(base, one, seconds, reader) });
  reads.push({ name: 'signed-in feed', result: await measure(base, '/api/articles/feed?limit=20', seconds, reader) });
  // One reader on 50 connections is remembered by the platform; many in turn are each looked up about as often as they read.
  reads.push({ name: `signed-in list, ${MANY_READERS} readers in turn`, result: await measure(base, list, seconds, voters.slice(0, MANY_READERS)) });
  reads.push({ name: `signed-in article, ${MANY_READERS} readers in turn`, result: await measure(base, one, seconds, voters.slice(0, MANY_READERS)) });

  // The votes alone first: how much of the machine they take before any reader competes with them.
  const cpuBefore = platform.cpuSeconds();
  const benchCpuBefore = process.cpuUsage();
  const voting = (on: string[], firstVote: number) => ({ base, tokens: voters, slugs: on, perSecond: votesPerSecond, firstVote });
  const alone = await votingWhile(voting(slugs.slice(-200), 0), () => new Promise((resolve) => setTimeout(resolve, seconds * 1000)));
  const cpuAfter = platform.cpuSeconds();
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const votesAlone = {
    votesPerSecond: Math.round(alone.votes / alone.seconds),
    platformCores: (cpuAfter.platform - cpuBefore.platform) / alone.seconds,
    databaseCores: (cpuAfter.database - cpuBefore.database) / alone.seconds,
    loadGeneratorCores: (benchCpu.user + benchCpu.system) / 1e6 / alone.seconds,
  };
  // Each read is measured quiet right before it is measured during the votes, so the ratio compares
  // like with like (run to run, a quiet rate here moves by a third with the machine's state).
  // Continuing the sequence: no voter votes twice on one article.
  let cast = alone.cast;
  const duringReads: ReadersResult['duringVotes']['reads'] = [];
  const tally = { votes: 0, errors: 0, seconds: 0 };
  const errorReasons: Record<string, number> = {};
  for (const [name, token] of [['anonymous list', undefined], ['signed-in list', reader]] as const) {
    const quiet = await measure(base, list, seconds, token);
    const during = await votingWhile(voting(slugs.slice(-200), cast), () => measure(base, list, seconds, token));
    cast += during.cast;
    Object.assign(tally, { votes: tally.votes + during.votes, errors: tally.errors + during.errors, seconds: tally.seconds + during.seconds });
    for (const [reason, count] of Object.entries(during.errorReasons)) errorReasons[reason] = (errorReasons[reason] ?? 0) + count;
    duringReads.push({ name, quiet, result: during.value });
  }
  // The same votes on the 200 oldest articles, which the list does not show: what the reads lose to the votes' CPU alone.
  const offPageQuiet = await measure(base, list, seconds);
  const offPage = await votingWhile(voting(slugs.slice(0, 200), cast), () => measure(base, list, seconds));
  return {
    articles,
    bodyBytes: Buffer.byteLength(body),
    seconds,
    reads,
    duringVotes: { targetVotesPerSecond: votesPerSecond, votesPerSecond: Math.round(tally.votes / tally.seconds), voteErrors: tally.errors, voteErrorReasons: errorReasons, reads: duringReads },
    votesAlone,
    votesOffPage: { votesPerSecond: Math.round(offPage.votes / offPage.seconds), voteErrors: offPage.errors, voteErrorReasons: offPage.errorReasons, quiet: offPageQuiet, read: offPage.value },
  };
}
