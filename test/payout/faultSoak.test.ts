/**
 * Fault soak: the payout worker runs as a child process (`workers/main.ts`, as `npm run worker`
 * does) against the devnet with faults on — latency, HTTP errors, broadcasts applied but their
 * response dropped — and is killed with SIGKILL at random moments, then restarted. The items due
 * are articles and comments (each article has a voted reply), interleaved, so batches mix them. Finally two
 * workers run side by side until everything is settled. Afterwards every recipient's on-chain
 * receipts equal the ledger to the unit, the treasury's debit equals the ledger, and reconciliation
 * (the `npm run reconcile` command itself) finds no difference.
 *
 * `npm test` runs PAYOUT_SOAK_KILLS=8 (default); `npm run soak:payouts` runs 50.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import mongoose from 'mongoose';
import { createChainClient, parseAmount, type ChainClient } from '../../chain';
import { startDevnet, type Devnet } from '../../devinfra/steem-devnet';
import { ArticleModel } from '../../models/article';
import { CommentModel } from '../../models/comment';
import { PaymentModel } from '../../models/payment';
import { SettlementModel } from '../../models/settlement';
import { ManualClock } from '../../lib/clock';
import { findDifferences } from '../../commands/payouts/reconciliation';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';
import { testMongoUri } from '../support/database';
import { linkNewSteemAccount } from '../support/steem';

const KILLS = Number(process.env.PAYOUT_SOAK_KILLS ?? 8);
const SEED = Number(process.env.PAYOUT_SOAK_SEED ?? Date.now() % 100_000);
const AUTHORS = 6;
const VOTERS = 8;
const POSTS_PER_AUTHOR = Math.max(4, Math.ceil((KILLS * 2) / AUTHORS));
const ROOT = path.resolve(__dirname, '../..');

jest.setTimeout(Math.max(240_000, KILLS * 8_000));

/** Deterministic randomness (mulberry32), so a failing run can be replayed with its seed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let api: TestApi;
let devnet: Devnet;
let chain: ChainClient;
let workerEnv: NodeJS.ProcessEnv;
const random = seeded(SEED);
const logs: string[] = [];

beforeAll(async () => {
  console.log(`payout fault soak: ${KILLS} kills, seed ${SEED} (PAYOUT_SOAK_SEED=${SEED} replays it)`);
  // Content is published two days in the past (by the API's clock) so it is due for the worker, which runs on real time.
  const clock = new ManualClock(new Date(Date.now() - 3 * 86_400_000));
  api = await startTestApi({ clock, env: { PAYOUT_WINDOW_SECONDS: '3600' } });
  devnet = await startDevnet({ port: 0, blockIntervalMs: 300, irreversibleLag: 3, random: seeded(SEED + 1) });
  chain = createChainClient({ nodes: [devnet.url], chainId: devnet.chainId, addressPrefix: devnet.addressPrefix, timeoutMs: 5000 });
  api.services.chain = chain;
  await api.http().get('/api/rewards/fund').expect(200);
  clock.advance(2 * 86_400_000);

  const authors = await Promise.all(Array.from({ length: AUTHORS }, () => registerUser(api)));
  const voters = await Promise.all(Array.from({ length: VOTERS }, () => registerUser(api)));
  const slugs: string[] = [];
  for (const [a, author] of authors.entries()) {
    for (let p = 0; p < POSTS_PER_AUTHOR; p++) {
      const { body } = await api.http().post('/api/articles').set(auth(author.token)).send({ article: { title: `Soak ${a}-${p}`, description: '', body: 'text', percentLiquid: p % 2 === 0 ? 10000 : 0 } }).expect(201);
      slugs.push(body.article.slug as string);
    }
  }
  // Comments earn like posts: each article gets a reply from another author, voted on as the articles are.
  const replies: number[] = [];
  for (const [s, slug] of slugs.entries()) {
    const { body } = await api.http().post(`/api/articles/${slug}/comments`).set(auth(authors[(s + 1) % AUTHORS]!.token)).send({ comment: { body: `Reply ${s}` } }).expect(200);
    replies.push(body.comment.id as number);
  }
  for (const [v, voter] of voters.entries()) {
    for (const [s, slug] of slugs.entries()) {
      if ((s + v) % 3 === 2) continue;
      const path = (s + v) % 3 === 0 ? `/api/articles/${slug}/votes` : `/api/articles/${slug}/comments/${replies[s]}/votes`;
      await api.http().post(path).set(auth(voter.token)).send({ vote: { weight: 10000 } }).expect(200);
      clock.advance(3000);
    }
  }
  for (const [i, user] of [...authors, ...voters].entries()) await linkNewSteemAccount(api, devnet, user.token, `soak-user-${i}`);

  const uri = new URL(testMongoUri());
  uri.pathname = `/${mongoose.connection.name}`;
  workerEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    MONGODB_URI: uri.toString(),
    STEEM_NODES: devnet.url,
    STEEM_CHAIN_ID: devnet.chainId,
    STEEM_TIMEOUT_MS: '2000',
    TREASURY_ACCOUNT: devnet.treasury.name,
    TREASURY_ACTIVE_KEY: devnet.treasury.activeKey,
    PAYOUT_WINDOW_SECONDS: '3600',
    PAYOUT_SETTLE_DELAY_SECONDS: '0',
    PAYOUT_BATCH_SIZE: '4',
    PAYOUT_TX_MAX_OPERATIONS: '3',
    PAYOUT_TX_EXPIRATION_SECONDS: '6',
    PAYOUT_LEASE_SECONDS: '2',
    PAYOUT_POLL_MS: '50',
  };
});

afterAll(async () => {
  await api.close();
  await devnet.stop();
});

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], { cwd: ROOT, env: workerEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) => logs.push(chunk.toString());
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return child;
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function everythingSettled(): Promise<boolean> {
  const [unpaid, unpaidComments, open] = await Promise.all([
    ArticleModel.countDocuments({ paid: false }),
    CommentModel.countDocuments({ paid: false }),
    PaymentModel.countDocuments({ status: { $ne: 'settled' } }),
  ]);
  return unpaid === 0 && unpaidComments === 0 && open === 0;
}

/** What the treasury sent each account, from the accounts' own history (transfers and power-ups). */
async function receivedFromTreasury(account: string): Promise<bigint> {
  let total = 0n;
  for await (const entry of chain.scanAccountHistory(account)) {
    const [name, body] = entry.op;
    if ((name === 'transfer' || name === 'transfer_to_vesting') && body.from === devnet.treasury.name && body.to === account) total += parseAmount(body.amount as string, 'STEEM');
  }
  return total;
}

describe('payout worker under faults and SIGKILL', () => {
  it(`settles everything exactly once across ${KILLS} kills and two concurrent workers`, async () => {
    const treasuryBefore = (await chain.getAccount(devnet.treasury.name))!.balance;
    // Posts come due one after another while the workers are being killed, so every kill can land
    // mid-work, and the last ones only after the longest possible kill phase (3 s a kill at most).
    // Articles and comments (post items alike) interleaved, so batches mix them.
    const articles = await ArticleModel.find({}, { _id: 1 }).sort({ _id: 1 }).lean();
    const comments = await CommentModel.find({}, { _id: 1 }).sort({ _id: 1 }).lean();
    const items = articles.length + comments.length;
    const soakMs = KILLS * 3000 + 2000;
    const dueAt = (i: number) => ({ $set: { payoutAt: new Date(Date.now() + Math.floor((i * soakMs) / items)) } });
    await ArticleModel.bulkWrite(articles.map((article, i) => ({ updateOne: { filter: { _id: article._id }, update: dueAt(2 * i) } })));
    await CommentModel.bulkWrite(comments.map((comment, i) => ({ updateOne: { filter: { _id: comment._id }, update: dueAt(2 * i + 1) } })));
    devnet.setFaults({ latencyMs: 20, errorRate: 0.1, dropResponseAfterApply: 0.3 });
    for (let kill = 0; kill < KILLS; kill++) {
      const child = startWorker();
      // Startup takes about a second; the kill lands anywhere from before the first pass to deep into one.
      await sleep(600 + Math.floor(random() * 2400));
      child.kill('SIGKILL');
      await exited(child);
    }
    const killedMidway = !(await everythingSettled());

    devnet.setFaults({ latencyMs: 10, errorRate: 0.05, dropResponseAfterApply: 0.2 });
    const pair = [startWorker(), startWorker()];
    const deadline = Date.now() + 120_000;
    while (!(await everythingSettled()) && Date.now() < deadline) await sleep(500);
    for (const child of pair) child.kill('SIGTERM');
    await Promise.all(pair.map(exited));
    devnet.setFaults({ latencyMs: 0, errorRate: 0, dropResponseAfterApply: 0 });

    if (!(await everythingSettled())) throw new Error(`not settled in time; worker log tail:\n${logs.join('').slice(-4000)}`);
    expect(killedMidway).toBe(true); // the kills really interrupted work

    expect(await SettlementModel.countDocuments({ status: 'committed' })).toBe(items);
    expect(await SettlementModel.countDocuments({ status: 'committed', comment: { $ne: null } })).toBe(comments.length);
    expect(await SettlementModel.countDocuments({ status: 'committed', comment: { $ne: null }, outcome: 'paid' })).toBeGreaterThan(0);
    const payments = await PaymentModel.find({}).lean();
    const owed = new Map<string, bigint>();
    for (const p of payments) owed.set(p.steemAccount!, (owed.get(p.steemAccount!) ?? 0n) + BigInt(p.liquid) + BigInt(p.power));
    const ledgerTotal = [...owed.values()].reduce((a, b) => a + b, 0n);
    const settlements = await SettlementModel.find({}, { distributed: 1 }).lean();
    expect(settlements.reduce((sum, s) => sum + BigInt(s.distributed), 0n)).toBe(ledgerTotal);
    for (const [account, amount] of owed) expect({ account, received: await receivedFromTreasury(account) }).toEqual({ account, received: amount });
    expect(treasuryBefore - (await chain.getAccount(devnet.treasury.name))!.balance).toBe(ledgerTotal);
    expect(await findDifferences(chain, devnet.treasury.name)).toEqual([]);

    const reconcile = spawn(process.execPath, ['--import', 'tsx', 'workers/reconcile.ts'], { cwd: ROOT, env: workerEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    reconcile.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    reconcile.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => reconcile.once('exit', resolve));
    expect(output).toContain("0 difference(s) between the ledger and inkwell-treasury's history");
    expect(code).toBe(0);

    // The treasury key never reaches a log line.
    expect(logs.join('')).not.toContain(devnet.treasury.activeKey);
  });
});
