/**
 * Settlement throughput: 10,000 due posts carrying 100,000 votes from 1,000 linked users, settled
 * and paid by the payout worker on the devnet at Steem's pace (a block every 3 s, irreversible 15
 * blocks later). The posts and votes are written straight to the database (the vote path has its
 * own benchmark); everything from there on is the worker as `npm start` runs it.
 */
import mongoose, { Types } from 'mongoose';
import { createChainClient, loadTreasuryKey } from '../chain';
import { startDevnet } from '../devinfra/steem-devnet';
import { buildRewardPolicy, curationWeight, FULL_VOTE_RSHARES_AT_1M_VESTS } from '../domain/rewards';
import { ArticleModel } from '../models/article';
import { CommentModel } from '../models/comment';
import { PaymentModel, type PaymentStatus } from '../models/payment';
import { PayoutTransactionModel } from '../models/payoutTransaction';
import { REWARD_FUND_ID, RewardFundModel } from '../models/rewardFund';
import { UserModel } from '../models/user';
import { VoteModel } from '../models/vote';
import { resolveDatabase } from '../server/database';
import { createLogger } from '../lib/logger';
import { connectMongo } from '../server/mongo';
import { systemClock } from '../lib/clock';
import { payoutSettings } from '../server/background';
import { loadConfig } from '../server/config';
import { PayoutWorker } from '../workers/payouts/payoutWorker';

export interface SettlementBenchResult {
  posts: number;
  /** How many of the posts are comments (replies on the articles among them). */
  comments: number;
  votes: number;
  users: number;
  backend: string;
  seedSeconds: number;
  settledSeconds: number;
  includedSeconds: number;
  irreversibleSeconds: number;
  payments: number;
  operations: number;
  transactions: number;
  blocks: number;
  conserved: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `commentShare` (0…1) of the posts are comments: each is a reply on one of the articles, due and
 * voted as the articles are, settled in the same batches (comments earn like posts).
 */
export async function settlementLoad(options: { posts: number; votesPerPost: number; users: number; commentShare?: number }): Promise<SettlementBenchResult> {
  const share = options.commentShare ?? 0;
  if (share < 0 || share >= 1) throw new Error('commentShare must be at least 0 and less than 1 (comments need articles to reply to)');
  // Post i is a comment when it takes the running share of comments up a whole one: interleaved with
  // the articles (every other post at 0.5), so batches mix them. Post 0 is always an article.
  const isCommentAt = (i: number) => Math.floor((i + 1) * share) > Math.floor(i * share);
  const commentCount = Math.floor(options.posts * share);
  const database = await resolveDatabase({ mongodbUri: process.env.MONGODB_URI, mode: 'auto', memoryServerTimeoutMs: 10_000 });
  await connectMongo(database.uri, { dbName: `bench_settlement_${Date.now().toString(36)}` });
  const devnet = await startDevnet({ port: 0, blockIntervalMs: 3000, irreversibleLag: 15 });
  try {
    const policy = buildRewardPolicy({ payoutWindowSeconds: 604800 });
    const now = Math.floor(Date.now() / 1000);
    const seedStarted = Date.now();

    const userIds = Array.from({ length: options.users }, () => new Types.ObjectId());
    for (let i = 0; i < options.users; i++) devnet.createAccount({ name: `bench-u${i}` });
    await UserModel.insertMany(
      userIds.map((_id, i) => ({ _id, username: `bench_u${i}`, usernameKey: `bench_u${i}`, email: `u${i}@bench.example`, passwordHash: 'x', steemAccount: `bench-u${i}` })),
    );
    await RewardFundModel.create({
      _id: REWARD_FUND_ID,
      rewardBalance: '50000000', // 50,000.000 STEEM
      recentClaims: policy.initialRecentClaims.toString(),
      lastUpdate: now,
      accruedUntil: now,
      accrualRemainder: '0',
    });
    const rshares = FULL_VOTE_RSHARES_AT_1M_VESTS;
    let repliedTo = new Types.ObjectId(); // the latest article: the next comment replies to it
    for (let start = 0; start < options.posts; start += 1000) {
      const articles = [];
      const comments = [];
      const votes = [];
      for (let i = start; i < Math.min(options.posts, start + 1000); i++) {
        const isComment = isCommentAt(i);
        const _id = new Types.ObjectId();
        if (!isComment) repliedTo = _id;
        let voteRshares = 0n;
        let totalVoteWeight = 0n;
        for (let k = 0; k < options.votesPerPost; k++) {
          const weight = curationWeight({ voteRsharesBefore: voteRshares, rshares, secondsSinceCreated: 600, contentConstant: policy.contentConstant, reverseAuctionSeconds: policy.reverseAuctionSeconds });
          voteRshares += rshares;
          totalVoteWeight += weight.raw;
          const commentOf = isComment ? { comment: { id: i + 1, article: repliedTo } } : {};
          votes.push({ article: _id, ...commentOf, voter: userIds[(i * 7 + k * 101) % options.users], weight: 10000, rshares: rshares.toString(), curationWeight: weight.weight.toString() });
        }
        const payoutAt = new Date((now - 60 - options.posts + i) * 1000);
        const tallies = { netRshares: voteRshares.toString(), absRshares: voteRshares.toString(), voteRshares: voteRshares.toString(), totalVoteWeight: totalVoteWeight.toString() };
        if (isComment) {
          comments.push({ _id, id: i + 1, article: repliedTo, author: userIds[i % options.users], body: `Bench reply ${i}`, payoutAt, ...tallies, upvotes: options.votesPerPost });
          continue;
        }
        articles.push({
          _id,
          slug: `bench-post-${i}`,
          title: `Bench post ${i}`,
          author: userIds[i % options.users],
          payoutAt: new Date((now - 60 - options.posts + i) * 1000),
          netRshares: voteRshares.toString(),
          absRshares: voteRshares.toString(),
          voteRshares: voteRshares.toString(),
          totalVoteWeight: totalVoteWeight.toString(),
          favoritesCount: options.votesPerPost,
          percentLiquid: i % 2 === 0 ? 10000 : 5000,
        });
      }
      if (articles.length > 0) await ArticleModel.insertMany(articles);
      if (comments.length > 0) await CommentModel.insertMany(comments);
      await VoteModel.insertMany(votes);
    }
    const seedSeconds = (Date.now() - seedStarted) / 1000;

    const chain = createChainClient({ nodes: [devnet.url], chainId: devnet.chainId, addressPrefix: devnet.addressPrefix, timeoutMs: 10_000, broadcastTimeoutMs: 20_000 });
    const treasury = loadTreasuryKey({ account: devnet.treasury.name, key: devnet.treasury.activeKey });
    const treasuryBefore = (await chain.getAccount(treasury.account))!.balance;
    const headBefore = devnet.headBlockNumber();
    const worker = new PayoutWorker({
      chain,
      treasury,
      clock: systemClock,
      logger: createLogger(process.env.BENCH_LOG_LEVEL === 'debug' ? 'debug' : 'warn'),
      policy,
      settings: payoutSettings(loadConfig(process.env)),
    });
    const started = Date.now();
    const elapsed = () => (Date.now() - started) / 1000;
    worker.start();
    let settledSeconds = 0;
    let includedSeconds = 0;
    let irreversibleSeconds = 0;
    while (elapsed() < 600) {
      await sleep(250);
      // Indexed existence checks: the bench's own polling should cost the database next to nothing.
      if (!settledSeconds && !(await ArticleModel.exists({ paid: false })) && !(await CommentModel.exists({ paid: false }))) settledSeconds = elapsed();
      if (!settledSeconds) continue;
      const notIncluded: PaymentStatus[] = ['prepared', 'unclaimed', 'queued', 'assigned', 'held'];
      if (!includedSeconds && !(await PaymentModel.exists({ status: { $in: notIncluded } }))) includedSeconds = elapsed();
      if (includedSeconds && !(await PaymentModel.exists({ status: { $in: [...notIncluded, 'included'] } }))) {
        irreversibleSeconds = elapsed();
        break;
      }
    }
    await worker.stop();
    const payments = await PaymentModel.find({}, { liquid: 1, power: 1 }).lean();
    const ledger = payments.reduce((sum, p) => sum + BigInt(p.liquid) + BigInt(p.power), 0n);
    const transactions = await PayoutTransactionModel.find({ status: 'irreversible' }, { operations: 1, blockNum: 1 }).lean();
    const treasuryAfter = (await chain.getAccount(treasury.account))!.balance;
    return {
      posts: options.posts,
      comments: commentCount,
      votes: options.posts * options.votesPerPost,
      users: options.users,
      backend: database.label,
      seedSeconds,
      settledSeconds,
      includedSeconds,
      irreversibleSeconds,
      payments: payments.length,
      operations: transactions.reduce((sum, t) => sum + (t.operations ?? 0), 0),
      transactions: transactions.length,
      blocks: new Set(transactions.map((t) => t.blockNum)).size || devnet.headBlockNumber() - headBefore,
      conserved: treasuryBefore - treasuryAfter === ledger,
    };
  } finally {
    await devnet.stop();
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
    await database.stop();
  }
}
