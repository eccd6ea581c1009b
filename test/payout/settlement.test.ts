import { NodeUnreachable, parseAmount, type ChainClient } from '../../chain';
import type { Devnet } from '../../devinfra/steem-devnet';
import { PayoutTransactionModel } from '../../models/payoutTransaction';
import { PaymentModel } from '../../models/payment';
import { findDifferences, fixDifferences } from '../../commands/payouts/reconciliation';
import { notifyPaymentsSettled } from '../../commands/payouts/paymentNotifications';
import { createLogger } from '../../lib/logger';
import { PayoutWorker } from '../../workers/payouts/payoutWorker';
import { grantRole } from '../../commands/users/roles';
import { auth, registerUser, type TestApi } from '../support/api';
import { startPayoutRig, TEST_PAYOUT_SETTINGS, TEST_PAYOUT_WINDOW, type PayoutRig } from '../support/payoutRig';
import { linkNewSteemAccount } from '../support/steem';

const WINDOW = TEST_PAYOUT_WINDOW;
const settings = TEST_PAYOUT_SETTINGS;

let rig: PayoutRig;
let api: TestApi;
let devnet: Devnet;
let chain: ChainClient;
let accountSeq = 0;

beforeAll(async () => {
  rig = await startPayoutRig();
  ({ api, devnet, chain } = rig);
});
afterAll(() => rig.close());

const newWorker = () => rig.newWorker();
const holdings = (account: string) => rig.holdings(account);
const settleEverything = (worker: PayoutWorker, passes = 6) => rig.settleEverything(worker, passes);

const accountName = (prefix: string) => `${prefix}-${++accountSeq}`;
const steem = (text: string) => parseAmount(text, 'STEEM');

async function publish(token: string, title: string, extra: Record<string, unknown> = {}): Promise<string> {
  const { body } = await api.http().post('/api/articles').set(auth(token)).send({ article: { title, description: '', body: 'text', ...extra } }).expect(201);
  return body.article.slug as string;
}

async function upvote(token: string, slug: string): Promise<void> {
  await api.http().post(`/api/articles/${slug}/votes`).set(auth(token)).send({ vote: { weight: 10000 } }).expect(200);
  api.clock.advance(3000);
}

async function payoutNotifications(token: string): Promise<{ article: { slug: string } | null; data: Record<string, unknown> }[]> {
  const { body } = await api.http().get('/api/notifications').set(auth(token)).expect(200);
  return body.notifications.filter((n: { type: string }) => n.type === 'payout');
}

describe('payout settlement on the devnet', () => {
  it('pays every recipient exactly their receipt, and the treasury exactly the ledger', async () => {
    const author = await registerUser(api);
    const voters = [await registerUser(api), await registerUser(api), await registerUser(api)];
    const [authorAccount, v1Account, v2Account, charity] = [accountName('pay-author'), accountName('pay-vote'), accountName('pay-vote'), accountName('pay-charity')];
    devnet.createAccount({ name: charity });
    const slug = await publish(author.token, 'Paid in full', { beneficiaries: [{ account: charity, weight: 1000 }], percentLiquid: 5000 });
    // Votes first, with the platform's base stake (a fresh devnet account has no Steem Power).
    for (const voter of voters) await upvote(voter.token, slug);
    await linkNewSteemAccount(api, devnet, author.token, authorAccount);
    await linkNewSteemAccount(api, devnet, voters[0]!.token, v1Account);
    await linkNewSteemAccount(api, devnet, voters[1]!.token, v2Account);

    const before = new Map(await Promise.all([authorAccount, v1Account, v2Account, charity, devnet.treasury.name].map(async (a) => [a, await holdings(a)] as const)));
    const pending = await api.http().get(`/api/articles/${slug}/payout`).expect(200);
    expect(pending.body.payout).toMatchObject({ status: 'pending', settlement: null });

    api.clock.advance((WINDOW + 61) * 1000);
    const worker = newWorker();
    await settleEverything(worker);

    const receipt = (await api.http().get(`/api/articles/${slug}/payout`).expect(200)).body.payout;
    // The third voter has no Steem account yet: their share waits, everything else is settled.
    expect(receipt.status).toBe('pending');
    expect(receipt.settlement.outcome).toBe('paid');
    expect(receipt.settlement.inputs.votes).toHaveLength(3);
    const roles = receipt.shares.map((s: { role: string }) => s.role).sort();
    expect(roles).toEqual(['author', 'beneficiary', 'curator', 'curator', 'curator']);
    const unclaimed = receipt.shares.find((s: { recipient: string }) => s.recipient === voters[2]!.username);
    expect(unclaimed).toMatchObject({ status: 'unclaimed', steemAccount: null, transactionId: null });
    expect(await payoutNotifications(voters[2]!.token)).toEqual([]);

    // Linking later pays what was owed.
    const lateAccount = accountName('pay-late');
    await linkNewSteemAccount(api, devnet, voters[2]!.token, lateAccount);
    await settleEverything(worker);
    const settled = (await api.http().get(`/api/articles/${slug}/payout`).expect(200)).body.payout;
    expect(settled.status).toBe('settled');
    expect(settled.transactions.every((t: { irreversible: boolean }) => t.irreversible)).toBe(true);

    const distributed = steem(settled.settlement.distributed);
    expect(distributed).toBeGreaterThan(0n);
    let sum = 0n;
    for (const share of settled.shares as { steemAccount: string; liquid: string; power: string; status: string; transactionId: string; blockNum: number }[]) {
      expect(share.status).toBe('settled');
      expect(share.transactionId).toMatch(/^[0-9a-f]{40}$/);
      const found = await chain.findTransaction(share.transactionId);
      expect(found?.blockNum).toBe(share.blockNum);
      const was = before.get(share.steemAccount) ?? { liquid: 0n, powered: 0n };
      const now = await holdings(share.steemAccount);
      expect(now.liquid - was.liquid).toBe(steem(share.liquid));
      expect(now.powered - was.powered).toBe(steem(share.power));
      sum += steem(share.liquid) + steem(share.power);
    }
    expect(sum).toBe(distributed);
    const treasuryNow = await holdings(devnet.treasury.name);
    expect(before.get(devnet.treasury.name)!.liquid - treasuryNow.liquid).toBe(distributed);
    // Author and beneficiary split 50/50 liquid/power; curators are paid in power only.
    const authorShare = settled.shares.find((s: { role: string }) => s.role === 'author');
    expect(steem(authorShare.liquid)).toBeGreaterThan(0n);
    expect(settled.shares.filter((s: { role: string }) => s.role === 'curator').every((s: { liquid: string }) => s.liquid === '0.000 STEEM')).toBe(true);

    const article = (await api.http().get(`/api/articles/${slug}`).expect(200)).body.article;
    expect(article.paid).toBe(true);
    expect(article.pendingPayout).toBeNull();
    expect(steem(article.payout.total)).toBe(distributed);
    const history = (await api.http().get(`/api/profiles/${author.username}/payouts`).expect(200)).body;
    expect(history.payoutsCount).toBe(1);
    expect(history.payouts[0]).toMatchObject({ status: 'settled', steemAccount: authorAccount, memo: `inkwell:payout:${settled.settlement.batch}`, shares: [{ article: slug, role: 'author' }] });

    // Each paid user is notified once, with the on-chain receipt; the charity has no Inkwell user.
    for (const [user, role] of [[author, 'author'], [voters[0]!, 'curator'], [voters[2]!, 'curator']] as const) {
      const share = settled.shares.find((s: { recipient: string }) => s.recipient === user.username);
      const notes = await payoutNotifications(user.token);
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatchObject({
        article: { slug },
        data: { txId: share.transactionId, blockNum: share.blockNum, liquid: share.liquid, power: share.power, posts: 1, roles: { [role]: 1 } },
      });
      expect(steem(notes[0]!.data.total as string)).toBe(steem(share.liquid) + steem(share.power));
    }
  });

  it('does not pay twice when a broadcast is applied but its response is lost', async () => {
    const author = await registerUser(api);
    const voter = await registerUser(api);
    const authorAccount = accountName('drop-author');
    const slug = await publish(author.token, 'Lost response');
    await upvote(voter.token, slug);
    await linkNewSteemAccount(api, devnet, author.token, authorAccount);
    await linkNewSteemAccount(api, devnet, voter.token, accountName('drop-voter'));
    api.clock.advance((WINDOW + 61) * 1000);
    const before = await holdings(authorAccount);
    devnet.setFaults({ dropResponseAfterApply: 1 });
    const worker = newWorker();
    await worker.tick();
    devnet.setFaults({ dropResponseAfterApply: 0 });
    await settleEverything(worker);
    const receipt = (await api.http().get(`/api/articles/${slug}/payout`).expect(200)).body.payout;
    expect(receipt.status).toBe('settled');
    const authorShare = receipt.shares.find((s: { role: string }) => s.role === 'author');
    expect((await holdings(authorAccount)).powered - before.powered).toBe(steem(authorShare.power));
    // A worker killed after notifying but before marking the transaction final notifies again: still once.
    const payment = await PaymentModel.findOne({ txId: authorShare.transactionId, username: author.username }).lean();
    await notifyPaymentsSettled(payment!.transaction!);
    expect(await payoutNotifications(author.token)).toHaveLength(1);
    expect(receipt.transactions).toHaveLength(1);
  });

  /** A worker whose broadcasts never reach the node (as if the network failed every time). */
  const unluckyWorker = () =>
    new PayoutWorker({
      chain: { ...chain, broadcastTransaction: () => Promise.reject(new NodeUnreachable([{ node: devnet.url, error: 'socket hang up' }])) },
      treasury: api.services.treasury!,
      clock: api.clock,
      logger: createLogger('silent'),
      policy: api.services.policy,
      settings,
    });

  async function settledPostWithFailedBroadcast(prefix: string) {
    const author = await registerUser(api);
    const voter = await registerUser(api);
    const authorAccount = accountName(`${prefix}-author`);
    const slug = await publish(author.token, `Broadcast fails ${prefix}`);
    await upvote(voter.token, slug);
    await linkNewSteemAccount(api, devnet, author.token, authorAccount);
    await linkNewSteemAccount(api, devnet, voter.token, accountName(`${prefix}-voter`));
    api.clock.advance((WINDOW + 61) * 1000);
    const before = await holdings(authorAccount);
    await unluckyWorker().tick();
    const tx = await PayoutTransactionModel.findOne({ status: 'signed' }).sort({ _id: -1 }).lean();
    expect(tx?.txId).toMatch(/^[0-9a-f]{40}$/);
    expect(await chain.findTransaction(tx!.txId!)).toBeNull();
    return { slug, authorAccount, before, txId: tx!.txId! };
  }

  it('after an unknown broadcast outcome, sends the same signed bytes again while they are valid', async () => {
    const { slug, authorAccount, before, txId } = await settledPostWithFailedBroadcast('same');
    api.clock.advance(31_000); // the first worker's lease lapses; the transaction is still valid
    await settleEverything(newWorker());
    const receipt = (await api.http().get(`/api/articles/${slug}/payout`).expect(200)).body.payout;
    expect(receipt.status).toBe('settled');
    expect(receipt.transactions).toEqual([{ id: txId, blockNum: expect.any(Number), irreversible: true }]);
    const authorShare = receipt.shares.find((s: { role: string }) => s.role === 'author');
    expect((await holdings(authorAccount)).powered - before.powered).toBe(steem(authorShare.power));
  });

  it('re-signs only once the first transaction has expired unincluded, and pays once', async () => {
    const { slug, authorAccount, before, txId } = await settledPostWithFailedBroadcast('exp');
    api.clock.advance(2 * settings.expirationSeconds * 1000);
    devnet.produceBlocks(4); // an irreversible block past the expiration
    await settleEverything(newWorker());
    expect((await PayoutTransactionModel.findOne({ txId }).lean())?.status).toBe('expired');
    expect(await chain.findTransaction(txId)).toBeNull();
    const receipt = (await api.http().get(`/api/articles/${slug}/payout`).expect(200)).body.payout;
    expect(receipt.status).toBe('settled');
    expect(receipt.transactions).toHaveLength(1);
    expect(receipt.transactions[0].id).not.toBe(txId);
    const authorShare = receipt.shares.find((s: { role: string }) => s.role === 'author');
    expect((await holdings(authorAccount)).powered - before.powered).toBe(steem(authorShare.power));
  });

  it('pauses on an empty treasury with a degraded /readyz, and resumes when funded', async () => {
    const author = await registerUser(api);
    const voter = await registerUser(api);
    const slug = await publish(author.token, 'Treasury runs dry');
    await upvote(voter.token, slug);
    await linkNewSteemAccount(api, devnet, author.token, accountName('poor-author'));
    await linkNewSteemAccount(api, devnet, voter.token, accountName('poor-voter'));
    api.clock.advance((WINDOW + 61) * 1000);
    const treasury = (await chain.getAccount(devnet.treasury.name))!;
    // Move almost everything out of the treasury.
    const drain = devnet.createAccount({ name: accountName('drain') });
    await chain.broadcastTransaction(
      (await chain.buildAndSignTransaction([['transfer', { from: devnet.treasury.name, to: drain.name, amount: `${(Number(treasury.balance - 1n) / 1000).toFixed(3)} STEEM`, memo: '' }]], [devnet.treasury.activeKey])).transaction,
    );
    const worker = newWorker();
    await settleEverything(worker, 2);
    const degraded = await api.http().get('/readyz');
    expect(degraded.status).toBe(503);
    expect(degraded.body.checks.payouts.detail).toMatch(/short of the queued payouts/);
    expect((await api.http().get(`/api/articles/${slug}/payout`)).body.payout.status).toBe('pending');

    devnet.fund(devnet.treasury.name, treasury.balance);
    await settleEverything(worker);
    expect((await api.http().get('/readyz')).status).toBe(200);
    expect((await api.http().get(`/api/articles/${slug}/payout`)).body.payout.status).toBe('settled');
  });

  it('holds a payment to an account that does not exist, with the reason', async () => {
    const author = await registerUser(api);
    const voter = await registerUser(api);
    const slug = await publish(author.token, 'Ghost beneficiary', { beneficiaries: [{ account: 'no-such-acct', weight: 5000 }] });
    await upvote(voter.token, slug);
    await linkNewSteemAccount(api, devnet, author.token, accountName('hold-author'));
    await linkNewSteemAccount(api, devnet, voter.token, accountName('hold-voter'));
    api.clock.advance((WINDOW + 61) * 1000);
    await settleEverything(newWorker());
    const receipt = (await api.http().get(`/api/articles/${slug}/payout`)).body.payout;
    expect(receipt.status).toBe('held');
    const held = receipt.shares.find((s: { role: string }) => s.role === 'beneficiary');
    expect(held).toMatchObject({ status: 'held', steemAccount: 'no-such-acct', heldReason: 'Steem account "no-such-acct" does not exist' });
    expect(receipt.shares.filter((s: { role: string }) => s.role !== 'beneficiary').every((s: { status: string }) => s.status === 'settled')).toBe(true);
  });

  it('two workers at once settle each post once and pay each recipient once', async () => {
    const authors = [await registerUser(api), await registerUser(api)];
    const voter = await registerUser(api);
    const accounts = [accountName('two-a'), accountName('two-b')];
    const slugs = [await publish(authors[0]!.token, 'Race one'), await publish(authors[1]!.token, 'Race two')];
    for (const slug of slugs) await upvote(voter.token, slug);
    await linkNewSteemAccount(api, devnet, authors[0]!.token, accounts[0]!);
    await linkNewSteemAccount(api, devnet, authors[1]!.token, accounts[1]!);
    await linkNewSteemAccount(api, devnet, voter.token, accountName('two-voter'));
    api.clock.advance((WINDOW + 61) * 1000);
    const workers = [newWorker(), newWorker()];
    for (let i = 0; i < 6; i++) {
      await Promise.all(workers.map((w) => w.tick()));
      devnet.produceBlocks(3);
    }
    for (const [i, slug] of slugs.entries()) {
      const receipt = (await api.http().get(`/api/articles/${slug}/payout`)).body.payout;
      expect(receipt.status).toBe('settled');
      const authorShare = receipt.shares.find((s: { role: string }) => s.role === 'author');
      const { powered } = await holdings(accounts[i]!);
      expect(powered).toBe(steem(authorShare.power));
    }
  });

  it('shows payout status to administrators only', async () => {
    const admin = await registerUser(api, 'payadmin');
    await grantRole(admin.username, 'admin');
    const someone = await registerUser(api);
    await api.http().get('/api/admin/payouts/status').expect(401);
    const refused = await api.http().get('/api/admin/payouts/status').set(auth(someone.token)).expect(403);
    expect(refused.body.errors).toBeDefined();
    const status = (await api.http().get('/api/admin/payouts/status').set(auth(admin.token)).expect(200)).body.status;
    expect(status.paused).toBe(false);
    expect(status.settlements).toBeGreaterThan(0);
    expect(status.payments.settled).toBeGreaterThan(0);
    expect(status.transactions.irreversible).toBeGreaterThan(0);
  });

  it('reconciles the ledger with the treasury history, and repairs what it can', async () => {
    const treasury = devnet.treasury.name;
    // So far: only the operator's transfer out of the treasury (the drain above) is unknown to the ledger.
    const initial = await findDifferences(chain, treasury);
    expect(initial.map((d) => d.kind)).toEqual(['unrecorded-on-chain']);
    expect(initial[0]!.detail).toMatch(/^block \d+: transfer drain-/);

    // A ledger record claiming a payment went out that the chain never saw, long expired.
    const payment = await PaymentModel.findOne({ status: 'settled' }).lean();
    const ghost = await PayoutTransactionModel.create({
      status: 'irreversible', owner: 'test', leaseUntil: new Date(0), payments: [payment!._id], txId: 'ab'.repeat(20), expiration: new Date(0), blockNum: 3,
    });
    await PaymentModel.updateOne({ _id: payment!._id }, { $set: { transaction: ghost._id, txId: ghost.txId } });
    const found = await findDifferences(chain, treasury);
    expect(found.map((d) => d.kind).sort()).toEqual(['missing-on-chain', 'unrecorded-on-chain']);
    expect(await fixDifferences(chain, treasury, found)).toBe(2);
    expect(await findDifferences(chain, treasury)).toEqual([]);
    expect((await PaymentModel.findById(payment!._id).lean())?.status).toBe('queued');
    // The re-queued payment is paid again by a worker (once the earlier workers' leases lapse).
    api.clock.advance(settings.leaseMs + 1000);
    await settleEverything(newWorker());
    expect((await PaymentModel.findById(payment!._id).lean())?.status).toBe('settled');
    expect(await findDifferences(chain, treasury)).toEqual([]);
  });
});
