import net from 'node:net';
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
  /** Why votes were refused or failed (the status and the first error of a refusal, or the connection's error), with how many. */
  errorReasons: Record<string, number>;
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

const VOTE_BODY = '{"vote":{"weight":10000}}';
const HEADER_END = Buffer.from('\r\n\r\n');

interface VoteAnswer {
  status: number;
  refusal?: string;
}

/** The first message of a RealWorld error body (`{"errors":{"body":[...]}}`), or the body's start. */
function firstError(body = ''): string {
  try {
    return (JSON.parse(body) as { errors: { body: string[] } }).errors.body[0] ?? body.slice(0, 120);
  } catch {
    return body.slice(0, 120);
  }
}

/**
 * One keep-alive HTTP/1.1 connection carrying one vote at a time, as a voter's browser would. Only
 * what a load generator needs is read from the answer: its status and where it ends (Content-Length).
 * node:http's client spent about 0.3 ms of CPU a vote (0.14–0.21 cores at 500 votes/s), which the
 * platform and the readers then lacked on this 2-core machine; a remote voter costs the server nothing.
 */
class VoteConnection {
  private readonly socket: net.Socket;
  private received: Buffer = Buffer.alloc(0);
  private waiting?: { resolve: (answer: VoteAnswer) => void; reject: (error: Error) => void };
  closed = false;

  constructor(port: number, host: string) {
    this.socket = net.connect(port, host);
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () => this.fail(new Error('connection closed')));
  }

  send(request: string): Promise<VoteAnswer> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(request, 'latin1');
    });
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk]);
    const headerEnd = this.received.indexOf(HEADER_END);
    if (headerEnd < 0 || !this.waiting) return;
    const head = this.received.toString('latin1', 0, headerEnd);
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!length) return this.fail(new Error('answer without Content-Length'));
    const bodyStart = headerEnd + HEADER_END.length;
    const end = bodyStart + Number(length[1]);
    if (this.received.length < end) return;
    const status = Number(head.slice(9, 12));
    // A refusal's body says why; an accepted vote's is not read.
    const refusal = status === 200 ? undefined : this.received.toString('utf8', bodyStart, end);
    this.received = this.received.subarray(end);
    const { resolve } = this.waiting;
    this.waiting = undefined;
    if (/\r\nconnection:\s*close/i.test(head)) this.close();
    resolve({ status, refusal });
  }

  private fail(error: Error): void {
    this.closed = true;
    this.socket.destroy();
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(error);
  }
}

/** Connections kept for reuse; at most `max` open, further votes wait for one to come back. */
class VoteConnections {
  private readonly idle: VoteConnection[] = [];
  private readonly queued: ((connection: VoteConnection) => void)[] = [];
  private open = 0;

  constructor(
    private readonly url: URL,
    private readonly max: number,
  ) {}

  async vote(slug: string, token: string): Promise<void> {
    const connection = await this.acquire();
    const request = `POST /api/articles/${slug}/votes HTTP/1.1\r\nHost: ${this.url.host}\r\nContent-Type: application/json\r\nContent-Length: ${VOTE_BODY.length}\r\nAuthorization: Token ${token}\r\n\r\n${VOTE_BODY}`;
    try {
      const { status, refusal } = await connection.send(request);
      if (status !== 200) throw new Error(`${status} ${firstError(refusal)}`);
    } finally {
      this.release(connection);
    }
  }

  closeAll(): void {
    for (const connection of this.idle.splice(0)) connection.close();
  }

  private acquire(): Promise<VoteConnection> {
    for (let connection = this.idle.pop(); connection; connection = this.idle.pop()) {
      // The server may close a connection while it is idle.
      if (!connection.closed) return Promise.resolve(connection);
      this.open -= 1;
    }
    if (this.open < this.max) {
      this.open += 1;
      return Promise.resolve(new VoteConnection(Number(this.url.port), this.url.hostname));
    }
    return new Promise((resolve) => this.queued.push(resolve));
  }

  private release(connection: VoteConnection): void {
    if (connection.closed) {
      this.open -= 1;
      if (this.queued.length > 0) {
        this.open += 1;
        this.queued.shift()!(new VoteConnection(Number(this.url.port), this.url.hostname));
      }
      return;
    }
    const next = this.queued.shift();
    if (next) next(connection);
    else this.idle.push(connection);
  }
}

const MAX_IN_FLIGHT = 400;

function runVoteLoad(load: VoteLoad, port: NonNullable<typeof parentPort>): void {
  const connections = new VoteConnections(new URL(load.base), 256);
  const tally = { votes: 0, errors: 0, cast: 0, errorReasons: {} as Record<string, number> };
  let inFlight = 0;
  const started = Date.now();
  // Every 10 ms, the votes due by now: a steady stream, not a burst a second.
  const timer = setInterval(() => {
    const due = Math.floor(((Date.now() - started) * load.perSecond) / 1000);
    while (tally.cast < due && inFlight < MAX_IN_FLIGHT) {
      const { voter, slug } = voteTarget(load.firstVote + tally.cast++, load.tokens.length, load.slugs.length);
      inFlight += 1;
      connections
        .vote(load.slugs[slug]!, load.tokens[voter]!)
        .then(
          () => (tally.votes += 1),
          (error: Error) => {
            tally.errors += 1;
            tally.errorReasons[error.message] = (tally.errorReasons[error.message] ?? 0) + 1;
          },
        )
        .finally(() => (inFlight -= 1));
    }
  }, 10);
  port.once('message', () => {
    // The rate counts the votes answered while the reads ran; those still in flight only finish.
    const result: VoteTally = { ...tally, errorReasons: { ...tally.errorReasons }, seconds: (Date.now() - started) / 1000 };
    clearInterval(timer);
    const waitForInFlight = setInterval(() => {
      if (inFlight > 0) return;
      clearInterval(waitForInFlight);
      connections.closeAll();
      port.postMessage(result);
    }, 20);
  });
}

if (!isMainThread && parentPort) runVoteLoad(workerData as VoteLoad, parentPort);
