import { periodStart, weekEnd } from '../../commands/gamification/leaderboards';
import { parseAmount } from '../../chain';
import { BadgeModel } from '../../models/badge';
import { ProcessorCursorModel } from '../../models/event';
import { NotificationModel } from '../../models/notification';
import { SettlementModel } from '../../models/settlement';
import { UserModel } from '../../models/user';
import { ManualClock } from '../../lib/clock';
import { createLogger } from '../../lib/logger';
import { BadgeProcessor } from '../../workers/badges/badgeProcessor';
import { WEEK_CLOSE_GRACE_MS } from '../../commands/gamification/weeklyTopBadges';
import { settleNextBatch } from '../../commands/payouts/settleNextBatch';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

// Badges, leaderboards and notifications that come from settled payouts (the settlement ledger).
const WINDOW = 3600;
const DAY_MS = 86_400_000;

/**
 * A clock that reads Monday 01:00 UTC once the fund's 10 days have passed, whatever day the suite
 * runs: the weekly badges test needs the week it votes in to stay open until it closes it (started
 * from the wall clock on a Thursday evening, the hours the tests advance crossed into the next week).
 */
function clockReachingMondayAfterTenDays(): ManualClock {
  const monday = weekEnd(periodStart('week', new Date(Date.now() + 10 * DAY_MS)));
  return new ManualClock(new Date(monday.getTime() + 3_600_000 - 10 * DAY_MS));
}

let api: TestApi;
let processor: BadgeProcessor;
beforeAll(async () => {
  api = await startTestApi({ env: { PAYOUT_WINDOW_SECONDS: String(WINDOW) }, clock: clockReachingMondayAfterTenDays() });
  processor = new BadgeProcessor(api.clock, createLogger('silent'));
  await api.http().get('/api/rewards/fund').expect(200); // the fund starts accruing now
  api.clock.advance(10 * DAY_MS); // 1,000 STEEM in the fund
});
afterAll(() => api.close());

type User = Awaited<ReturnType<typeof registerUser>>;
const steem = (text: string) => parseAmount(text, 'STEEM');

const publish = async (user: User, title: string) =>
  (await api.http().post('/api/articles').set(auth(user.token)).send({ article: { title, description: '', body: 'text' } }).expect(201)).body.article.slug as string;
const vote = async (user: User, slug: string, weight = 10000) => {
  await api.http().post(`/api/articles/${slug}/votes`).set(auth(user.token)).send({ vote: { weight } }).expect(200);
  api.clock.advance(3000);
};
const badgesOf = async (user: User) => ((await api.http().get(`/api/profiles/${user.username}/badges`).expect(200)).body.badges as { name: string; title: string; reason: string }[]);
const badgeNames = async (user: User) => (await badgesOf(user)).map((b) => b.name);
const drain = async () => {
  while ((await processor.tick()) > 0);
};

/** Moves past the payout window and settles every due post, as the payout worker does. */
async function settleDue(): Promise<void> {
  api.clock.advance((WINDOW + 1) * 1000);
  const now = Math.floor(api.clock.now().getTime() / 1000);
  const context = { policy: api.services.policy, owner: 'test', batchSize: 100, delaySeconds: 0, logger: createLogger('silent') };
  while (await settleNextBatch(context, now));
}

async function receiptShares(slug: string): Promise<{ recipient: string; role: string; liquid: string; power: string }[]> {
  return (await api.http().get(`/api/articles/${slug}/payout`).expect(200)).body.payout.shares;
}

describe('payout badges', () => {
  it('awards first payout and first curation from the settled ledger, once, and nothing for posts without positive rshares', async () => {
    const [author, curator, panned, ignored, critic] = await Promise.all(Array.from({ length: 5 }, () => registerUser(api)));
    const liked = await publish(author!, 'Liked and paid');
    const disliked = await publish(panned!, 'Downvoted into nothing');
    await publish(ignored!, 'Nobody votes');
    api.clock.advance(600_000); // past the reverse auction, so curation is not burned
    await vote(curator!, liked);
    await vote(critic!, disliked, -10000);
    await settleDue();
    await drain();

    const shares = await receiptShares(liked);
    const authorShare = shares.find((s) => s.role === 'author')!;
    expect(steem(authorShare.liquid) + steem(authorShare.power)).toBeGreaterThan(0n);
    const authorBadges = await badgesOf(author!);
    expect(authorBadges.map((b) => b.name)).toEqual(['first-post', 'first-payout']);
    expect(authorBadges[1]).toMatchObject({ title: 'First payout' });
    expect(authorBadges[1]!.reason).toContain(liked);
    expect(await badgeNames(curator!)).toEqual(['first-curation']);
    expect((await badgesOf(curator!))[0]!.reason).toContain(liked);
    // Anti-farming: the downvoted and the unvoted post settle with nothing to pay, and earn nothing.
    for (const user of [panned!, ignored!, critic!]) expect(await badgeNames(user)).toEqual([]);

    // Replaying every event (a processor restarted from scratch) awards and notifies nothing new.
    const badgeCount = await BadgeModel.countDocuments();
    const noteCount = await NotificationModel.countDocuments({ type: 'badge' });
    await ProcessorCursorModel.deleteOne({ _id: 'badges' });
    await drain();
    expect(await BadgeModel.countDocuments()).toBe(badgeCount);
    expect(await NotificationModel.countDocuments({ type: 'badge' })).toBe(noteCount);
    const notes = (await api.http().get('/api/notifications').set(auth(curator!.token)).expect(200)).body.notifications;
    expect(notes.filter((n: { type: string }) => n.type === 'badge').map((n: { data: { badge: string } }) => n.data.badge)).toEqual(['first-curation']);
  });
});

describe('payout leaderboards', () => {
  it('ranks authors and curators by what settled posts paid them this period, exactly', async () => {
    const [big, small, curatorA, curatorB, curatorC] = await Promise.all(Array.from({ length: 5 }, () => registerUser(api)));
    const bigPost = await publish(big!, 'Paid a lot');
    const smallPost = await publish(small!, 'Paid a little');
    api.clock.advance(600_000);
    for (const curator of [curatorA!, curatorB!, curatorC!]) await vote(curator, bigPost);
    await vote(curatorA!, smallPost);
    await settleDue();

    const paidAs = async (username: string, role: string) => {
      let total = 0n;
      for (const slug of [bigPost, smallPost]) {
        for (const share of await receiptShares(slug)) if (share.recipient === username && share.role === role) total += steem(share.liquid) + steem(share.power);
      }
      return total;
    };
    const authors = (await api.http().get('/api/leaderboards/authors?period=day').expect(200)).body;
    expect(authors).toMatchObject({ board: 'authors', period: 'day' });
    const authorRank = (name: string) => authors.entries.findIndex((e: { username: string }) => e.username === name);
    expect(authorRank(big!.username)).toBeGreaterThanOrEqual(0);
    expect(authorRank(big!.username)).toBeLessThan(authorRank(small!.username));
    const bigEntry = authors.entries[authorRank(big!.username)];
    expect(steem(bigEntry.value)).toBe(await paidAs(big!.username, 'author'));
    expect(bigEntry.posts).toBe(1);
    expect(authors.entries.map((e: { rank: number }) => e.rank)).toEqual(authors.entries.map((_: unknown, i: number) => i + 1));
    // A curator, never an author here, is not on the authors board.
    expect(authorRank(curatorA!.username)).toBe(-1);

    const curators = (await api.http().get('/api/leaderboards/curators?period=month').expect(200)).body;
    const entryOf = (name: string) => curators.entries.find((e: { username: string }) => e.username === name);
    expect(steem(entryOf(curatorA!.username).value)).toBe(await paidAs(curatorA!.username, 'curator'));
    expect(entryOf(curatorA!.username).posts).toBe(2);
    expect(steem(entryOf(curatorB!.username).value)).toBe(await paidAs(curatorB!.username, 'curator'));
    expect(entryOf(big!.username)).toBeUndefined();
    const values = curators.entries.map((e: { value: string }) => steem(e.value));
    expect(values).toEqual([...values].sort((a: bigint, b: bigint) => (a === b ? 0 : a > b ? -1 : 1)));
  });
});

describe('weekly top-10 badges', () => {
  /** The top ten of a week computed here from the raw ledger: the oracle for the processor's aggregation. */
  async function expectedTop(role: 'author' | 'curator', from: Date): Promise<string[]> {
    const totals = new Map<string, bigint>();
    const settlements = await SettlementModel.find({ status: 'committed', settledAt: { $gte: from, $lt: weekEnd(from) } }).lean();
    for (const settlement of settlements) {
      for (const entry of settlement.entries) {
        if (entry.role !== role || !entry.user) continue;
        const key = entry.user.toString();
        totals.set(key, (totals.get(key) ?? 0n) + BigInt(entry.liquid ?? '0') + BigInt(entry.power ?? '0'));
      }
    }
    return [...totals]
      .filter(([, amount]) => amount > 0n)
      .sort(([a, x], [b, y]) => (x === y ? (a < b ? -1 : 1) : x > y ? -1 : 1))
      .slice(0, 10)
      .map(([id]) => id);
  }

  it('awards the week’s ten best-paid authors and curators once the week has closed, exactly once', async () => {
    const authors = await Promise.all(Array.from({ length: 12 }, () => registerUser(api)));
    const voter = await registerUser(api);
    const slugs: string[] = [];
    for (const author of authors) slugs.push(await publish(author, `Week entry ${slugs.length}`));
    api.clock.advance(600_000);
    for (const [i, slug] of slugs.entries()) await vote(voter, slug, 10000 - i * 500);
    await settleDue();
    const week = periodStart('week', api.clock.now());

    await drain(); // the week is still open
    expect(await BadgeModel.countDocuments({ badge: /^top-10-/ })).toBe(0);

    api.clock.set(new Date(weekEnd(week).getTime() + WEEK_CLOSE_GRACE_MS + 1000));
    await drain();
    const day = week.toISOString().slice(0, 10);
    for (const role of ['author', 'curator'] as const) {
      const expected = await expectedTop(role, week);
      if (role === 'author') expect(expected).toHaveLength(10); // fifteen authors were paid this week
      else expect(expected.length).toBeGreaterThan(0);
      const holders = await BadgeModel.find({ badge: `top-10-${role}:${day}` }).lean();
      expect(holders.map((b) => b.user.toString()).sort()).toEqual([...expected].sort());
    }
    // The best-paid author's badge says its rank and amount.
    const best = await UserModel.findOne({ _id: (await expectedTop('author', week))[0] }).lean();
    const bestBadges = await badgesOf({ username: best!.username } as User);
    const weekly = bestBadges.find((b) => b.name === `top-10-author:${day}`)!;
    expect(weekly.title).toBe(`Top-10 author of the week of ${day}`);
    expect(weekly.reason).toMatch(/^#1 author of the week of \d{4}-\d{2}-\d{2}: paid \d+\.\d{3} STEEM by 1 post$/);

    const count = await BadgeModel.countDocuments({ badge: /^top-10-/ });
    api.clock.advance(DAY_MS);
    await drain();
    expect(await BadgeModel.countDocuments({ badge: /^top-10-/ })).toBe(count);
  });
});
