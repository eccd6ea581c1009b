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

/** One round: every voter casts one vote. */
export interface VoteRound {
  votes: number;
  seconds: number;
  votesPerSecond: number;
  /** CPU milliseconds per vote: the platform, its database stand-in (0 with MONGODB_URI) and this load generator. */
  cpuMsPerVote: { platform: number; database: number; loadGenerator: number };
}

export interface VoteLoadResult {
  voters: number;
  articles: number;
  /** Votes on comments (one reply per article) out of every 2: 0, or 1 with `commentVotes`. */
  commentVotesPerTwo: number;
  concurrency: number;
  /** The first round, on a process that has not voted yet (its code not yet optimised by the JIT). */
  cold: VoteRound;
  /** The rounds after it, together: the rate the process sustains. */
  sustained: VoteRound;
  /** Votes of the sustained rounds that the client held back for the 3-second rule (0: the rule never limited the rate). */
  votesHeldBack: number;
  countersExact: boolean;
  detail: string;
}

/** Steem's minimum interval between a voter's votes (counted in whole seconds, as `lastVoteTime` is). */
const VOTE_SPACING_MS = 3000;

/**
 * `voters` distinct voters cast `rounds` rounds of full upvotes on `articles` articles (round r: voter i
 * votes on article (i + r) mod articles, so no pair repeats), `concurrency` requests in flight. Steem
 * lets a voter vote once every 3 seconds: a voter's next vote waits until 3 s after the whole second in
 * which its last one was answered. The first round warms the process up; the rest measure the rate it
 * sustains. Then every article's counters must equal the sum of the votes the API reported. With
 * `commentVotes`, each article has a reply and the odd-numbered voters vote on the replies instead
 * (half the votes, the same engine), and the replies' counters are summed in too.
 */
export async function voteLoad(platform: PlatformProcess, options: { voters: number; articles: number; concurrency: number; rounds: number; commentVotes?: boolean }): Promise<VoteLoadResult> {
  const { voters, articles, concurrency, rounds } = options;
  const commentVotes = options.commentVotes ?? false;
  if (rounds < 2 || rounds > articles) throw new Error('rounds must be at least 2 (one to warm up) and at most the number of articles');
  const stamp = Date.now().toString(36);
  const author = (await call(`${platform.url}/api/users`, 'POST', { user: { username: `bench_writer_${stamp}`, email: `writer_${stamp}@bench.example`, password: 'benchmark-password' } })) as { user: { token: string } };
  const slugs = await inParallel(articles, 8, async (i) => {
    const { article } = (await call(`${platform.url}/api/articles`, 'POST', { article: { title: `Vote target ${i} ${stamp}`, description: '', body: 'vote for me' } }, author.user.token)) as { article: { slug: string } };
    return article.slug;
  });
  // With `commentVotes`, each article has a reply, and every other voter votes on replies (50 % of the votes).
  const replies = commentVotes
    ? await inParallel(articles, 8, async (i) => {
        const { comment } = (await call(`${platform.url}/api/articles/${slugs[i]}/comments`, 'POST', { comment: { body: `A reply worth a vote ${i}` } }, author.user.token)) as { comment: { id: number } };
        return comment.id;
      })
    : [];
  const targetOf = (i: number, r: number) => {
    const a = (i + r) % articles;
    return commentVotes && i % 2 === 1 ? `/api/articles/${slugs[a]}/comments/${replies[a]}/votes` : `/api/articles/${slugs[a]}/votes`;
  };
  const tokens = await inParallel(voters, 16, async (i) => {
    const { user } = (await call(`${platform.url}/api/users`, 'POST', { user: { username: `bv_${stamp}_${i}`, email: `bv_${stamp}_${i}@bench.example`, password: 'benchmark-password' } })) as { user: { token: string } };
    return user.token;
  });

  const nextVoteAt = new Array<number>(voters).fill(0);
  let votesHeldBack = 0;
  const reported = { rshares: 0n, votes: 0 };
  /** One round's votes, seconds and CPU seconds used (platform, database, this client). */
  const round = async (r: number) => {
    const started = process.hrtime.bigint();
    const cpuBefore = platform.cpuSeconds();
    const clientBefore = process.cpuUsage();
    await inParallel(voters, concurrency, async (i) => {
      const wait = nextVoteAt[i]! - Date.now();
      if (wait > 0) {
        if (r > 0) votesHeldBack += 1;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      const { vote } = (await call(`${platform.url}${targetOf(i, r)}`, 'POST', { vote: { weight: 10000 } }, tokens[i])) as { vote: { rshares: string } };
      nextVoteAt[i] = (Math.floor(Date.now() / 1000) + 1) * 1000 + VOTE_SPACING_MS;
      reported.rshares += BigInt(vote.rshares);
      reported.votes += 1;
    });
    const cpuAfter = platform.cpuSeconds();
    const client = process.cpuUsage(clientBefore);
    return {
      votes: voters,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      cpu: { platform: cpuAfter.platform - cpuBefore.platform, database: cpuAfter.database - cpuBefore.database, loadGenerator: (client.user + client.system) / 1e6 },
    };
  };
  const cold = await round(0);
  const measured: Awaited<ReturnType<typeof round>>[] = [];
  for (let r = 1; r < rounds; r++) measured.push(await round(r));
  const total = (pick: (m: (typeof measured)[number]) => number) => measured.reduce((sum, m) => sum + pick(m), 0);
  const sustained = {
    votes: total((m) => m.votes),
    seconds: total((m) => m.seconds),
    cpu: { platform: total((m) => m.cpu.platform), database: total((m) => m.cpu.database), loadGenerator: total((m) => m.cpu.loadGenerator) },
  };

  let upvotes = 0;
  let net = 0n;
  for (const slug of slugs) {
    const { article } = (await call(`${platform.url}/api/articles/${slug}`, 'GET')) as { article: { upvotes: number; netRshares: string } };
    upvotes += article.upvotes;
    net += BigInt(article.netRshares);
    if (!commentVotes) continue;
    const { comments } = (await call(`${platform.url}/api/articles/${slug}/comments`, 'GET')) as { comments: { upvotes: number; netRshares: string }[] };
    for (const reply of comments) {
      upvotes += reply.upvotes;
      net += BigInt(reply.netRshares);
    }
  }
  return {
    voters,
    articles,
    commentVotesPerTwo: commentVotes ? 1 : 0,
    concurrency,
    cold: summary(cold),
    sustained: summary(sustained),
    votesHeldBack,
    countersExact: upvotes === reported.votes && net === reported.rshares,
    detail: `upvotes ${upvotes} of ${reported.votes} votes answered; net rshares ${net} (sum of the answered votes' rshares ${reported.rshares})`,
  };
}

function summary(rounds: { votes: number; seconds: number; cpu: VoteRound['cpuMsPerVote'] }): VoteRound {
  const ms = (cpuSeconds: number) => Math.round((cpuSeconds * 1000 * 100) / rounds.votes) / 100;
  return {
    votes: rounds.votes,
    seconds: rounds.seconds,
    votesPerSecond: Math.round(rounds.votes / rounds.seconds),
    cpuMsPerVote: { platform: ms(rounds.cpu.platform), database: ms(rounds.cpu.database), loadGenerator: ms(rounds.cpu.loadGenerator) },
  };
}
