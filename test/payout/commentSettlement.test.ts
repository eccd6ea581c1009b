import { parseAmount, type ChainClient } from '../../chain';
import type { Devnet } from '../../devinfra/steem-devnet';
import { findDifferences } from '../../commands/payouts/reconciliation';
import { REWARD_FUND_ID, RewardFundModel } from '../../models/rewardFund';
import { SettlementBatchModel } from '../../models/settlementBatch';
import { SettlementModel } from '../../models/settlement';
import { PayoutWorker } from '../../workers/payouts/payoutWorker';
import { auth, registerUser, type TestApi } from '../support/api';
import { startPayoutRig, TEST_PAYOUT_WINDOW, type PayoutRig } from '../support/payoutRig';
import { linkNewSteemAccount } from '../support/steem';

/*
 * Comments are paid like posts (on Steem a reply is a post): due comments settle in the same batches
 * as due articles, from one fund snapshot, with the same ledger, receipts, transfers and notifications.
 */

const WINDOW = TEST_PAYOUT_WINDOW;

let rig: PayoutRig;
let api: TestApi;
let devnet: Devnet;
let chain: ChainClient;

beforeAll(async () => {
  rig = await startPayoutRig();
  ({ api, devnet, chain } = rig);
});
afterAll(() => rig.close());

const steem = (text: string) => parseAmount(text, 'STEEM');
const newWorker = () => rig.newWorker();
const holdings = (account: string) => rig.holdings(account);
const settleEverything = (worker: PayoutWorker, passes = 8) => rig.settleEverything(worker, passes);

interface Share {
  recipient: string | null;
  steemAccount: string;
  role: string;
  liquid: string;
  power: string;
  status: string;
  transactionId: string;
  blockNum: number;
}

describe('comment payouts on the devnet', () => {
  it('settles posts and comments in one batch from one fund snapshot, conserving the fund, and pays each comment’s receipt to the last 0.001 STEEM', async () => {
    const [author, replier, v1, v2, v3] = await Promise.all([registerUser(api), registerUser(api), registerUser(api), registerUser(api), registerUser(api)]);
    const users = [author, replier, v1, v2, v3];
    const accounts = users.map((_, i) => `cpay-${i}`);
    const { body: published } = await api.http().post('/api/articles').set(auth(author.token)).send({ article: { title: 'Paid with its replies', description: '', body: 'text' } }).expect(201);
    const slug = published.article.slug as string;
    const post = async (token: string, body: string, parentId?: number) =>
      (await api.http().post(`/api/articles/${slug}/comments`).set(auth(token)).send({ comment: { body, ...(parentId ? { parentId } : {}) } }).expect(200)).body.comment as { id: number };
    const top = await post(replier.token, 'a reply worth reading');
    const nested = await post(author.token, 'the author answers', top.id);
    const unvoted = await post(v3.token, 'nobody votes for this');
    const vote = async (token: string, path: string, weight: number) => {
      await api.http().post(`/api/articles/${slug}${path}/votes`).set(auth(token)).send({ vote: { weight } }).expect(200);
      api.clock.advance(3000);
    };
    await vote(v1.token, '', 10000);
    await vote(v2.token, `/comments/${top.id}`, 10000);
    await vote(v3.token, `/comments/${top.id}`, 7500);
    await vote(v1.token, `/comments/${nested.id}`, 5000);
    for (const [i, user] of users.entries()) await linkNewSteemAccount(api, devnet, user.token, accounts[i]!);
    const before = new Map(await Promise.all([...accounts, devnet.treasury.name].map(async (a) => [a, await holdings(a)] as const)));

    api.clock.advance((WINDOW + 61) * 1000);
    await settleEverything(newWorker());

    const receiptOf = async (path: string) => (await api.http().get(`/api/articles/${slug}${path}/payout`).expect(200)).body.payout;
    const receipts = [await receiptOf(''), await receiptOf(`/comments/${top.id}`), await receiptOf(`/comments/${nested.id}`), await receiptOf(`/comments/${unvoted.id}`)];
    expect(receipts.map((r) => r.comment)).toEqual([undefined, top.id, nested.id, unvoted.id]);
    expect(receipts.every((r) => r.article === slug)).toBe(true);
    // One batch, one fund snapshot.
    const batches = new Set(receipts.map((r) => r.settlement.batch));
    expect(batches.size).toBe(1);
    expect(new Set(receipts.map((r) => `${r.settlement.inputs.fund.rewardBalance}/${r.settlement.inputs.fund.recentClaims}`)).size).toBe(1);
    expect(receipts.map((r) => r.settlement.outcome)).toEqual(['paid', 'paid', 'paid', 'no_claims']);
    expect(receipts[1].settlement.inputs.votes.map((v: { voter: string }) => v.voter).sort()).toEqual([v2.username, v3.username].sort());
    for (const receipt of receipts.slice(0, 3)) expect(receipt.status).toBe('settled');

    // Every receipt's shares add up to what the item distributed, and the item's payout is that plus what went back.
    const owed = new Map<string, { liquid: bigint; power: bigint }>();
    let distributed = 0n;
    for (const receipt of receipts) {
      const shares = receipt.shares as Share[];
      const sum = shares.reduce((total, s) => total + steem(s.liquid) + steem(s.power), 0n);
      expect(sum).toBe(steem(receipt.settlement.distributed));
      expect(steem(receipt.settlement.payout)).toBe(sum + steem(receipt.settlement.returnedToFund));
      distributed += sum;
      for (const share of shares) {
        expect(share.status).toBe('settled');
        expect((await chain.findTransaction(share.transactionId))?.blockNum).toBe(share.blockNum);
        const o = owed.get(share.steemAccount) ?? { liquid: 0n, power: 0n };
        owed.set(share.steemAccount, { liquid: o.liquid + steem(share.liquid), power: o.power + steem(share.power) });
      }
    }
    // The comment's author and its curators are paid exactly their receipts (summed over the items they earned on).
    expect(receipts[1].shares.map((s: Share) => s.recipient).sort()).toEqual([replier.username, v2.username, v3.username].sort());
    for (const [account, amounts] of owed) {
      const was = before.get(account)!;
      const now = await holdings(account);
      expect([now.liquid - was.liquid, now.powered - was.powered]).toEqual([amounts.liquid, amounts.power]);
    }
    const treasuryNow = await holdings(devnet.treasury.name);
    expect(before.get(devnet.treasury.name)!.liquid - treasuryNow.liquid).toBe(distributed);

    // The batch conserves the fund exactly: the snapshot's balance is what was paid plus what the fund keeps.
    const [batch] = await SettlementBatchModel.find({ _id: [...batches][0] }).lean();
    expect(batch!.totals).toMatchObject({ posts: 4, distributed: distributed.toString() });
    const settlements = await SettlementModel.find({ batch: batch!._id }).lean();
    expect(settlements.reduce((sum, s) => sum + BigInt(s.payout), 0n).toString()).toBe(batch!.totals!.payout);
    const fund = await RewardFundModel.findById(REWARD_FUND_ID).lean();
    expect(BigInt(fund!.rewardBalance) + distributed).toBe(BigInt(batch!.payoutBasis!.rewardBalance!));
    expect(settlements.filter((s) => s.comment).map((s) => s.comment!.id).sort()).toEqual([top.id, nested.id, unvoted.id].sort());

    // Comments show their payout in single and list answers.
    const { body: listed } = await api.http().get(`/api/articles/${slug}/comments`).expect(200);
    const shown = listed.comments.find((c: { id: number }) => c.id === top.id);
    expect(shown).toMatchObject({ paid: true, pendingPayout: null });
    expect(steem(shown.payout.total)).toBe(steem(receipts[1].settlement.distributed));
    expect(steem(shown.payout.author)).toBe(receipts[1].shares.filter((s: Share) => s.role === 'author').reduce((t: bigint, s: Share) => t + steem(s.liquid) + steem(s.power), 0n));
    const late = await api.http().post(`/api/articles/${slug}/comments/${top.id}/votes`).set(auth(author.token)).send({ vote: { weight: 10000 } }).expect(422);
    expect(late.body.fields.vote[0]).toContain('VOTE_AFTER_PAYOUT');
    // Paid, a comment may be deleted.
    await api.http().delete(`/api/articles/${slug}/comments/${nested.id}`).set(auth(author.token)).expect(204);

    // One payment per recipient per batch, naming each item; notifications count them.
    const history = (await api.http().get(`/api/profiles/${v1.username}/payouts`).expect(200)).body;
    expect(history.payoutsCount).toBe(1);
    expect(history.payouts[0].shares).toEqual(
      expect.arrayContaining([expect.objectContaining({ article: slug, role: 'curator' }), expect.objectContaining({ article: slug, comment: nested.id, role: 'curator' })]),
    );
    const notes = (await api.http().get('/api/notifications').set(auth(v1.token)).expect(200)).body.notifications.filter((n: { type: string }) => n.type === 'payout');
    expect(notes).toHaveLength(1);
    expect(notes[0].data).toMatchObject({ posts: 2, roles: { curator: 2 } });
    const replierNotes = (await api.http().get('/api/notifications').set(auth(replier.token)).expect(200)).body.notifications.filter((n: { type: string }) => n.type === 'payout');
    expect(replierNotes[0].data).toMatchObject({ posts: 1, roles: { author: 1 } });

    // Leaderboards count them: the replier was paid as an author by a comment.
    const board = (await api.http().get('/api/leaderboards/authors?period=week').expect(200)).body;
    expect(JSON.stringify(board)).toContain(replier.username);

    // And the ledger reconciles with the chain.
    expect(await findDifferences(chain, devnet.treasury.name)).toEqual([]);
  });
});
