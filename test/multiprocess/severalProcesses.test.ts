/**
 * Several processes, one database: the offline stand-in as its own process, two API processes with
 * WORKER=off, and two `npm run worker` processes, all on one database and (no STEEM_NODES) on the one
 * devnet the first API process embeds. What one API process writes, the other serves within a second;
 * a payout is settled and paid exactly once although two workers compete for it.
 */
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { buildEntryPoints, devnetRpc, freePort, startChild, type Child } from './processes';

// Five processes start on two cores: a minute on a loaded machine; the limit is generous so load alone never fails it.
jest.setTimeout(180_000);

const JWT_SECRET = 'multiprocess-test-secret-that-is-long-enough';
const CHARITY = 'mp-charity';
const WINDOW_SECONDS = 4;

let bundle: Awaited<ReturnType<typeof buildEntryPoints>>;
let standin: Child;
let databaseUri: string;
const children: Child[] = [];
let apiA: string;
let apiB: string;
let devnetUrl: string;
let workers: Child[];

const platformEnv = (extra: Record<string, string> = {}) => ({
  NODE_ENV: 'test',
  LOG_LEVEL: 'info',
  MONGODB_URI: databaseUri,
  JWT_SECRET,
  RATE_LIMIT: 'off',
  // A stake large enough that one vote claims most of the fund (a small one settles as dust).
  BASE_STAKE_VESTS: '100000000000000.000000',
  PAYOUT_WINDOW_SECONDS: String(WINDOW_SECONDS),
  PAYOUT_SETTLE_DELAY_SECONDS: '0',
  PAYOUT_POLL_MS: '100',
  REWARD_FUND_PER_DAY: '10000000.000 STEEM',
  DEVNET_PORT: '0',
  WORKER: 'off',
  ...extra,
});

function start(entry: 'server' | 'worker', env: Record<string, string>): Child {
  const child = startChild(path.join(bundle.dir, `${entry}.js`), [], env);
  children.push(child);
  return child;
}

async function startApi(): Promise<{ child: Child; url: string }> {
  const port = await freePort();
  const child = start('server', platformEnv({ PORT: String(port) }));
  await child.waitFor(/Inkwell API listening/);
  return { child, url: `http://127.0.0.1:${port}` };
}

beforeAll(async () => {
  bundle = await buildEntryPoints();
  standin = startChild(path.join(bundle.dir, 'standin.js'), ['--port', '0'], {});
  const { uri } = JSON.parse(await standin.waitFor(/"uri"/)) as { uri: string };
  databaseUri = `${uri}inkwell_multiprocess`;

  const a = await startApi();
  apiA = a.url;
  devnetUrl = /local devnet \(development\) at (http:\/\/127\.0\.0\.1:\d+)/.exec(await a.child.waitFor(/chain: local devnet/))![1]!;
  // The others start once the first has recorded its devnet, side by side.
  const [b, ...started] = await Promise.all([
    startApi(),
    ...[1, 2].map(async () => {
      const worker = start('worker', platformEnv());
      await worker.waitFor(/background work started/);
      return worker;
    }),
  ]);
  apiB = b!.url;
  workers = started as Child[];
  for (const child of [b!.child, ...workers]) expect(await child.waitFor(/chain: /)).toContain(`joined the local devnet (development) at ${devnetUrl}`);
});

afterAll(async () => {
  await Promise.all(children.map((child) => child.stop()));
  await standin?.stop();
  bundle?.remove();
});

async function call(base: string, method: string, route: string, options: { token?: string; body?: unknown } = {}) {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Token ${options.token}` } : {}) },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function register(base: string, name: string): Promise<string> {
  const { status, body } = await call(base, 'POST', '/api/users', { body: { user: { username: name, email: `${name}@example.com`, password: 'correct horse battery' } } });
  expect(status).toBe(201);
  return body.user.token as string;
}

/** Polls `read` until `done` holds; returns the result and how long after the start it was read. */
async function readUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<{ value: T; afterMs: number }> {
  const started = Date.now();
  for (;;) {
    const issuedAt = Date.now() - started;
    const value = await read();
    if (done(value)) return { value, afterMs: issuedAt };
    if (Date.now() - started > timeoutMs) throw new Error(`not seen within ${timeoutMs} ms: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let slug: string;

describe('two API processes and two workers on one database and one devnet', () => {
  it('serves through API process B, within a second, the article and the vote written through A', async () => {
    await devnetRpc(devnetUrl, 'devnet_api', 'create_account', { name: CHARITY });
    const author = await register(apiA, 'mpauthor');
    const voter = await register(apiA, 'mpvoter');
    // B has the first page cached (anonymous reads are cached for READ_CACHE_TTL_MS, 1 s).
    expect((await call(apiB, 'GET', '/api/articles')).status).toBe(200);

    const published = await call(apiA, 'POST', '/api/articles', {
      token: author,
      body: { article: { title: 'Written through A', description: 'd', body: 'Read through **B**.', beneficiaries: [{ account: CHARITY, weight: 10000 }] } },
    });
    expect(published.status).toBe(201);
    slug = published.body.article.slug;
    const listed = await readUntil(
      () => call(apiB, 'GET', '/api/articles'),
      (r) => r.body.articles.some((a: { slug: string }) => a.slug === slug),
      3000,
    );
    expect(listed.afterMs).toBeLessThanOrEqual(1000);

    expect((await call(apiA, 'POST', `/api/articles/${slug}/votes`, { token: voter, body: { vote: { weight: 10000 } } })).status).toBe(200);
    const voted = await readUntil(
      () => call(apiB, 'GET', `/api/articles/${slug}`),
      (r) => r.body.article.upvotes === 1,
      3000,
    );
    expect(voted.afterMs).toBeLessThanOrEqual(1000);
    // The session made through A is valid on B (one JWT_SECRET, sessions in the database).
    const votes = await call(apiB, 'GET', `/api/articles/${slug}/votes`, { token: voter });
    expect(votes.body.votes).toEqual([expect.objectContaining({ voter: 'mpvoter', weight: 10000 })]);
  });

  it('settles and pays the payout exactly once, on the embedded chain, with two workers present', async () => {
    // Blocks become irreversible 15 blocks after their own; the devnet is asked for them instead of waiting 45 s.
    const receipt = await readUntil(
      async () => {
        const answer = await call(apiB, 'GET', `/api/articles/${slug}/payout`);
        if (answer.body.payout.transactions.length > 0) await devnetRpc(devnetUrl, 'devnet_api', 'produce_blocks', { count: 16 });
        return answer.body.payout;
      },
      // The voter has no Steem account linked, so the curation share waits `unclaimed` and the receipt stays `pending`.
      (payout) =>
        payout.shares.some((s: { steemAccount: string | null; status: string }) => s.steemAccount === CHARITY && s.status === 'settled') &&
        payout.transactions.every((t: { irreversible: boolean }) => t.irreversible),
      40_000,
    );
    expect(workers.every((worker) => worker.process.exitCode === null)).toBe(true);
    const payout = receipt.value;
    expect(payout.settlement.outcome).toBe('paid');
    expect((await call(apiA, 'GET', `/api/articles/${slug}/payout`)).body.payout).toEqual(payout);
    const share = payout.shares.find((s: { steemAccount: string | null }) => s.steemAccount === CHARITY);
    expect(share.status).toBe('settled');

    const thousandths = (asset: string) => BigInt(asset.split(' ')[0]!.replace('.', ''));
    const [charity] = await devnetRpc<{ balance: string }[]>(devnetUrl, 'condenser_api', 'get_accounts', [[CHARITY]]);
    expect(thousandths(charity!.balance)).toBe(thousandths(share.liquid));
    const history = await devnetRpc<[number, { op: [string, { from?: string; to?: string; amount?: string; memo?: string }] }][]>(devnetUrl, 'condenser_api', 'get_account_history', [CHARITY, -1, 100]);
    const received = history.map(([, entry]) => entry.op).filter(([name, body]) => name !== 'account_create' && body.to === CHARITY);
    const expected = [...(thousandths(share.liquid) > 0n ? [['transfer', share.liquid]] : []), ...(thousandths(share.power) > 0n ? [['transfer_to_vesting', share.power]] : [])];
    expect(received.map(([name, body]) => [name, body.amount])).toEqual(expected);

    const client = await MongoClient.connect(databaseUri);
    try {
      const db = client.db();
      expect(await db.collection('settlements').countDocuments({ slug })).toBe(1);
      const payments = await db.collection('payments').find({ batch: payout.settlement.batch }).toArray();
      expect(new Set(payments.map((p) => p.key)).size).toBe(payments.length);
      // The treasury paid exactly the ledger's settled payments, each once.
      const paid = payments.filter((p) => p.status === 'settled').reduce((sum, p) => sum + BigInt(p.liquid) + BigInt(p.power), 0n);
      const [treasury] = await devnetRpc<{ balance: string }[]>(devnetUrl, 'condenser_api', 'get_accounts', [['inkwell-treasury']]);
      expect(thousandths(treasury!.balance)).toBe(1_000_000_000n - paid);
    } finally {
      await client.close();
    }
  });

  it('refuses to start a worker that has no chain to join, saying what to set', async () => {
    const worker = start('worker', platformEnv({ MONGODB_URI: `${databaseUri}_without_api` }));
    expect(await worker.exited).toBe(1);
    const output = worker.lines.join('\n');
    expect(output).toContain('no Steem chain to join');
    expect(output).toMatch(/STEEM_NODES, STEEM_CHAIN_ID, TREASURY_ACCOUNT and TREASURY_ACTIVE_KEY/);
  });
});
