import http from 'node:http';
import type { PlatformProcess } from './platformProcess';

// A plain keep-alive HTTP client: the load generator shares the 2 cores with the platform, and
// fetch costs about three times as much CPU per request.
const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });

async function call(url: string, method: string, body?: unknown, token?: string): Promise<Record<string, unknown>> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const headers: http.OutgoingHttpHeaders = { ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}), ...(token ? { Authorization: `Token ${token}` } : {}) };
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const request = http.request(url, { method, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(payload);
  });
  if (status < 200 || status >= 300) throw new Error(`${method} ${url} answered ${status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

async function inParallel<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) results[i] = await task(i);
    }),
  );
  return results;
}

export interface VoteLoadResult {
  voters: number;
  articles: number;
  votes: number;
  seconds: number;
  votesPerSecond: number;
  countersExact: boolean;
  detail: string;
  /** CPU milliseconds per vote during the voting phase: the platform, its database stand-in (0 with MONGODB_URI) and this load generator. */
  cpuMsPerVote: { platform: number; database: number; loadGenerator: number };
}

/**
 * Distinct voters each cast one full upvote (Steem allows one vote per voter every 3 seconds), spread
 * over a set of articles, `concurrency` requests at a time; then checks every counter is exact.
 */
export async function voteLoad(platform: PlatformProcess, voters: number, articles: number, concurrency: number): Promise<VoteLoadResult> {
  const stamp = Date.now().toString(36);
  const author = (await call(`${platform.url}/api/users`, 'POST', { user: { username: `bench_writer_${stamp}`, email: `writer_${stamp}@bench.example`, password: 'benchmark-password' } })) as { user: { token: string } };
  const slugs = await inParallel(articles, 8, async (i) => {
    const { article } = (await call(`${platform.url}/api/articles`, 'POST', { article: { title: `Vote target ${i} ${stamp}`, description: '', body: 'vote for me' } }, author.user.token)) as { article: { slug: string } };
    return article.slug;
  });
  const tokens = await inParallel(voters, 16, async (i) => {
    const { user } = (await call(`${platform.url}/api/users`, 'POST', { user: { username: `bv_${stamp}_${i}`, email: `bv_${stamp}_${i}@bench.example`, password: 'benchmark-password' } })) as { user: { token: string } };
    return user.token;
  });
  const started = process.hrtime.bigint();
  const cpuBefore = platform.cpuSeconds();
  const clientBefore = process.cpuUsage();
  await inParallel(voters, concurrency, (i) => call(`${platform.url}/api/articles/${slugs[i % articles]}/votes`, 'POST', { vote: { weight: 10000 } }, tokens[i]));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuAfter = platform.cpuSeconds();
  const client = process.cpuUsage(clientBefore);
  const perVote = (cpuSeconds: number) => Math.round((cpuSeconds * 1000 * 100) / voters) / 100;

  let upvotes = 0;
  let net = 0n;
  for (const slug of slugs) {
    const { article } = (await call(`${platform.url}/api/articles/${slug}`, 'GET')) as { article: { upvotes: number; netRshares: string } };
    upvotes += article.upvotes;
    net += BigInt(article.netRshares);
  }
  const expectedNet = BigInt(voters) * 19_950_000_000n;
  return {
    voters,
    articles,
    votes: voters,
    seconds,
    votesPerSecond: Math.round(voters / seconds),
    countersExact: upvotes === voters && net === expectedNet,
    detail: `upvotes ${upvotes} of ${voters}; net rshares ${net} (expected ${expectedNet})`,
    cpuMsPerVote: {
      platform: perVote(cpuAfter.platform - cpuBefore.platform),
      database: perVote(cpuAfter.database - cpuBefore.database),
      loadGenerator: perVote((client.user + client.system) / 1e6),
    },
  };
}
