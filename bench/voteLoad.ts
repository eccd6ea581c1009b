import http from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/**
 * Votes at a steady rate from a thread of their own: the readers' load generator (autocannon) keeps
 * the bench's main thread to itself, so a read rate measured during the votes loses only what the
 * platform and the machine lose to them, not what the vote client would take from the read client's
 * event loop.
 */
export interface VoteLoad {
  base: string;
  tokens: readonly string[];
  slugs: readonly string[];
  perSecond: number;
  /** Continues a sequence (see `voteTarget`): no voter votes twice on one article across runs. */
  firstVote: number;
}

export interface VoteTally {
  votes: number;
  errors: number;
  seconds: number;
  /** Votes sent (answered or not): where the next run's sequence starts. */
  cast: number;
}

/**
 * Vote k: voter k % voters, on article (voter + its vote count), so no pair repeats; with voters ≥
 * 5 × perSecond each voter waits 5 s between votes (Steem's 3-second rule, counted from whole seconds).
 */
export function voteTarget(k: number, voters: number, slugs: number): { voter: number; slug: number } {
  const voter = k % voters;
  return { voter, slug: (voter + Math.floor(k / voters)) % slugs };
}

/** Votes as `load` says for as long as `during` runs, then waits for the votes in flight. */
export async function votingWhile<T>(load: VoteLoad, during: () => Promise<T>): Promise<{ value: T } & VoteTally> {
  const worker = new Worker(voteThreadSource(), { eval: true, workerData: load });
  const finished = new Promise<VoteTally>((resolve, reject) => {
    worker.once('message', (tally: VoteTally) => resolve(tally));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`vote load thread exited (${code}) before reporting`)));
  });
  // Left unawaited when `during` fails: the thread is then only stopped.
  finished.catch(() => undefined);
  try {
    const value = await during();
    worker.postMessage('stop');
    return { value, ...(await finished) };
  } finally {
    await worker.terminate();
  }
}

/** This module in a thread: through tsx when it runs as TypeScript (a thread does not inherit the main thread's loader). */
function voteThreadSource(): string {
  const load = __filename.endsWith('.ts') ? `require('tsx/cjs/api').register();` : '';
  return `${load} require(${JSON.stringify(__filename)});`;
}

const VOTE_BODY = Buffer.from('{"vote":{"weight":10000}}');

/** A vote as a load generator sends it: the answer is drained and its status checked, not parsed. */
function sendVote(agent: http.Agent, base: string, slug: string, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${base}/api/articles/${slug}/votes`,
      { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': VOTE_BODY.length, Authorization: `Token ${token}` } },
      (response) => {
        response.resume();
        response.on('end', () => ((response.statusCode ?? 500) === 200 ? resolve() : reject(new Error(`vote answered ${response.statusCode}`))));
      },
    );
    request.on('error', reject);
    request.end(VOTE_BODY);
  });
}

const MAX_IN_FLIGHT = 400;

function runVoteLoad(load: VoteLoad, port: NonNullable<typeof parentPort>): void {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const tally = { votes: 0, errors: 0, cast: 0 };
  let inFlight = 0;
  const started = Date.now();
  // Every 10 ms, the votes due by now: a steady stream, not a burst a second.
  const timer = setInterval(() => {
    const due = Math.floor(((Date.now() - started) * load.perSecond) / 1000);
    while (tally.cast < due && inFlight < MAX_IN_FLIGHT) {
      const { voter, slug } = voteTarget(load.firstVote + tally.cast++, load.tokens.length, load.slugs.length);
      inFlight += 1;
      sendVote(agent, load.base, load.slugs[slug]!, load.tokens[voter]!)
        .then(
          () => (tally.votes += 1),
          () => (tally.errors += 1),
        )
        .finally(() => (inFlight -= 1));
    }
  }, 10);
  port.once('message', () => {
    // The rate counts the votes answered while the reads ran; those still in flight only finish.
    const result: VoteTally = { ...tally, seconds: (Date.now() - started) / 1000 };
    clearInterval(timer);
    const waitForInFlight = setInterval(() => {
      if (inFlight > 0) return;
      clearInterval(waitForInFlight);
      agent.destroy();
      port.postMessage(result);
    }, 20);
  });
}

if (!isMainThread && parentPort) runVoteLoad(workerData as VoteLoad, parentPort);
