/**
 * Settlement of posts whose payout time has passed, in batches that share one fund snapshot.
 *
 * A batch is prepared (posts claimed, settlements and payments written as `prepared`), then
 * committed by a single compare-and-set on the reward fund that moves its version on and records the
 * batch id, then applied (statuses flipped, articles marked paid). A crash anywhere leaves either an
 * uncommitted batch, which is fenced off and abandoned, or a committed one, which is applied again
 * (every step is idempotent). Only the holder of the settle lease runs this.
 */
import { Types } from 'mongoose';
import { formatSteem } from '../../domain/money';
import { accrueFund, settleBatch, type BatchSettlement, type RewardPolicy, type SettlementPost } from '../../domain/rewards';
import { groupPayments, type ShareInput } from '../../domain/payouts';
import { fundFields, loadFund } from '../../commands/rewards/fund';
import { ArticleModel } from '../../models/article';
import { EventModel } from '../../models/event';
import { PaymentModel } from '../../models/payment';
import { REWARD_FUND_ID, RewardFundModel } from '../../models/rewardFund';
import { SettlementModel } from '../../models/settlement';
import { SettlementBatchModel } from '../../models/settlementBatch';
import { UserModel } from '../../models/user';
import { VoteModel } from '../../models/vote';
import type { Logger } from '../../lib/logger';

export interface SettlementContext {
  policy: RewardPolicy;
  owner: string;
  /** Posts per batch (one fund snapshot each). */
  batchSize: number;
  /** Seconds after payoutAt before a post is taken: votes cast just before it are still landing. */
  delaySeconds: number;
  logger: Logger;
  /** Return once the batch is committed, before it is applied (the report's `applied` says when). */
  overlapApply?: boolean;
}

export interface BatchReport {
  batch: string;
  posts: number;
  payments: number;
  unclaimed: number;
  payout: bigint;
  distributed: bigint;
  returnedToFund: bigint;
  /** Resolves once the committed batch is applied: articles marked paid, payments queued. */
  applied: Promise<void>;
}

interface Recipient {
  key: string;
  user: Types.ObjectId | null;
  username: string | null;
  steemAccount: string | null;
}

const unixToDate = (seconds: number) => new Date(seconds * 1000);

/** Finishes or abandons the batches a stopped worker left behind. Run before settling anything new. */
export async function recoverBatches(logger: Logger): Promise<void> {
  const open = await SettlementBatchModel.find({ status: { $in: ['preparing', 'committed'] } })
    .sort({ createdAt: 1 })
    .lean();
  for (const batch of open) {
    if (batch.status === 'preparing' && !(await resolvePreparing(batch._id, batch.fundVersion))) {
      await abandonBatch(batch._id);
      logger.warn({ batch: batch._id }, 'abandoned a settlement batch its worker did not commit; its posts will settle again');
      continue;
    }
    await applyBatch(batch._id);
    logger.info({ batch: batch._id }, 'applied a committed settlement batch its worker did not finish');
  }
  // Posts claimed by a batch that was abandoned while its (slow) worker was still claiming them.
  const claimedBy = await ArticleModel.distinct('settlingBatch', { paid: false, settlingBatch: { $type: 'string' } });
  if (claimedBy.length > 0) {
    const live = new Set((await SettlementBatchModel.find({ _id: { $in: claimedBy }, status: { $ne: 'abandoned' } }, { _id: 1 }).lean()).map((b) => b._id));
    const dead = claimedBy.filter((id) => !live.has(id));
    if (dead.length > 0) await ArticleModel.updateMany({ paid: false, settlingBatch: { $in: dead } }, { $set: { settlingBatch: null } });
  }
}

/** True when the batch committed; otherwise makes sure it never can (moves the fund version on). */
async function resolvePreparing(batchId: string, fundVersion: number): Promise<boolean> {
  for (;;) {
    const fund = await RewardFundModel.findById(REWARD_FUND_ID).lean();
    if (fund?.recentBatches?.includes(batchId)) {
      await SettlementBatchModel.updateOne({ _id: batchId, status: 'preparing' }, { $set: { status: 'committed' } });
      return true;
    }
    if (!fund || fund.version !== fundVersion) return false;
    const fenced = await RewardFundModel.updateOne({ _id: REWARD_FUND_ID, version: fundVersion }, { $inc: { version: 1 } });
    if (fenced.modifiedCount === 1) return false;
  }
}

async function abandonBatch(batchId: string): Promise<void> {
  await SettlementModel.deleteMany({ batch: batchId, status: 'prepared' });
  await PaymentModel.deleteMany({ batch: batchId, status: 'prepared' });
  await ArticleModel.updateMany({ settlingBatch: batchId, paid: false }, { $set: { settlingBatch: null } });
  await SettlementBatchModel.updateOne({ _id: batchId }, { $set: { status: 'abandoned' } });
}

type SettlementSummaryFields = {
  _id: Types.ObjectId;
  article: Types.ObjectId;
  author: Types.ObjectId;
  payout: string;
  returnedToFund: string;
  entries: { role?: string | null; liquid?: string | null; power?: string | null }[];
  settledAt: Date;
};

/**
 * Makes a committed batch visible: settlements, payments (queued or unclaimed), articles paid. The
 * worker that committed passes its settlements; recovery reads them back.
 */
async function applyBatch(batchId: string, written?: SettlementSummaryFields[]): Promise<void> {
  await SettlementModel.updateMany({ batch: batchId, status: 'prepared' }, { $set: { status: 'committed' } });
  await PaymentModel.updateMany({ batch: batchId, status: 'prepared', steemAccount: null }, { $set: { status: 'unclaimed' } });
  await PaymentModel.updateMany({ batch: batchId, status: 'prepared' }, { $set: { status: 'queued' } });
  const settlements =
    written ?? (await SettlementModel.find({ batch: batchId }, { article: 1, author: 1, payout: 1, returnedToFund: 1, entries: 1, settledAt: 1 }).lean<SettlementSummaryFields[]>());
  if (settlements.length > 0) {
    // The driver directly: the values are already stored types, and settling is not an edit (updatedAt stays).
    await ArticleModel.collection.bulkWrite(
      settlements.map((settlement) => ({
        updateOne: {
          filter: { _id: settlement.article, settlingBatch: batchId },
          update: { $set: { paid: true, payout: payoutSummary(settlement) } },
        },
      })),
      { ordered: false },
    );
    // Processors of these events are idempotent, so a repeated apply does no harm.
    await EventModel.insertMany(
      settlements.map((s) => ({
        type: 'payout.settled',
        user: s.author,
        article: s.article,
        data: { batch: batchId, settlement: s._id.toString(), payout: s.payout },
        createdAt: new Date(),
      })),
      { lean: true }, // lean inserts skip mongoose's timestamps and defaults: they are written out here
    );
  }
  await SettlementBatchModel.updateOne({ _id: batchId }, { $set: { status: 'applied' } });
}

function payoutSummary(settlement: { payout: string; returnedToFund: string; entries: { role?: string | null; liquid?: string | null; power?: string | null }[]; settledAt: Date }) {
  const byRole = (role: string) =>
    settlement.entries.filter((e) => e.role === role).reduce((sum, e) => sum + BigInt(e.liquid ?? '0') + BigInt(e.power ?? '0'), 0n);
  return {
    total: (BigInt(settlement.payout) - BigInt(settlement.returnedToFund)).toString(),
    author: byRole('author').toString(),
    curators: byRole('curator').toString(),
    beneficiaries: byRole('beneficiary').toString(),
    returnedToFund: settlement.returnedToFund,
    settledAt: settlement.settledAt,
  };
}

type VoteRow = { article: Types.ObjectId; voter: Types.ObjectId; rshares: string; curationWeight: string };

/**
 * The posts of the next batch and their votes, read before the batch claims them: the claim only
 * takes a post whose vote sequence is still the one read here, so a post whose votes changed in
 * between is left for a later batch, and these votes are exactly those of every post claimed.
 */
export interface PrefetchedBatch {
  now: number;
  ready: { _id: Types.ObjectId; voteSeq: number }[];
  votes: VoteRow[];
}

/** Reads the next batch ahead (due posts, minus those with a vote still landing, and their votes); null when none is due. */
export async function prefetchBatch(context: SettlementContext, now: number): Promise<PrefetchedBatch | null> {
  const candidates = await ArticleModel.find({ paid: false, settlingBatch: null, payoutAt: { $lte: unixToDate(now - context.delaySeconds) } }, { _id: 1, voteSeq: 1 })
    .sort({ payoutAt: 1 }) // the (paid, payoutAt) index gives this order, so the scan stops at the batch size
    .limit(context.batchSize)
    .lean<{ _id: Types.ObjectId; voteSeq: number }[]>();
  if (candidates.length === 0) return null;
  // A vote charged before the payout but not yet applied must land first (the sweep rolls it forward).
  const pending = await UserModel.find(
    { 'pendingVote.votedAt': { $lte: now }, 'pendingVote.article': { $in: candidates.map((c) => c._id.toString()) } },
    { pendingVote: 1 },
  ).lean<{ pendingVote: { article: string } | null }[]>();
  const waiting = new Set(pending.map((user) => user.pendingVote?.article));
  const ready = candidates.filter((c) => !waiting.has(c._id.toString()));
  if (ready.length === 0) return null;
  // The driver directly: mongoose adds nothing to a projection of plain fields, and this is the batch's largest read.
  const votes = await VoteModel.collection
    .find<VoteRow>({ article: { $in: ready.map((c) => c._id) } }, { projection: { _id: 0, article: 1, voter: 1, rshares: 1, curationWeight: 1 }, batchSize: 100_000 })
    .toArray();
  return { now, ready, votes };
}

/**
 * Settles the next batch of due posts (read ahead by `prefetchBatch`, or read here); null when
 * none is due or none could be claimed. `onClaimed` runs once its posts are claimed, when the
 * batch after it may be read ahead.
 */
export async function settleNextBatch(context: SettlementContext, now: number, prefetched?: PrefetchedBatch | null, onClaimed?: () => void): Promise<BatchReport | null> {
  const { policy } = context;
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (stage: string) => {
    const at = performance.now();
    timings[stage] = Math.round(at - mark);
    mark = at;
  };
  const next = prefetched === undefined ? await prefetchBatch(context, now) : prefetched;
  if (!next) return null;
  const { ready } = next;
  now = next.now;
  lap('read ahead');
  const fund = await loadFund(policy, now);
  const batchId = new Types.ObjectId().toHexString();
  await SettlementBatchModel.create({
    _id: batchId,
    status: 'preparing',
    owner: context.owner,
    fundVersion: fund.version,
    articles: ready.map((c) => c._id),
    settledAt: now,
    policyVersion: policy.policyVersion,
  });
  // Claim each post at the vote sequence read ahead: a vote landing in between makes the claim miss.
  await ArticleModel.collection.bulkWrite(
    ready.map((c) => ({
      updateOne: { filter: { _id: c._id, voteSeq: c.voteSeq, paid: false, settlingBatch: null }, update: { $set: { settlingBatch: batchId }, $inc: { voteSeq: 1 } } },
    })),
    { ordered: false },
  );
  onClaimed?.();
  // What settling reads of a post: never its body (up to 64 KiB each).
  const articles = await ArticleModel.find(
    { settlingBatch: batchId, paid: false },
    { slug: 1, author: 1, netRshares: 1, totalVoteWeight: 1, beneficiaries: 1, maxAcceptedPayout: 1, percentLiquid: 1, allowCurationRewards: 1, declinePayout: 1 },
  )
    .sort({ _id: 1 })
    .lean();
  if (articles.length === 0) {
    await abandonBatch(batchId);
    return null;
  }
  const claimed = new Set(articles.map((a) => a._id.toString()));
  const votes = articles.length === ready.length ? next.votes : next.votes.filter((v) => claimed.has(v.article.toString()));
  const articleIds = articles.map((a) => a._id);
  lap('claim');
  const beneficiaryAccounts = [...new Set(articles.flatMap((a) => (a.beneficiaries ?? []).map((b) => b.account!)))];
  const userIds = [...new Set([...articles.map((a) => a.author.toString()), ...votes.map((v) => v.voter.toString())])];
  const [users, beneficiaryUsers] = await Promise.all([
    UserModel.find({ _id: { $in: userIds } }, { username: 1, steemAccount: 1 }).lean(),
    beneficiaryAccounts.length > 0 ? UserModel.find({ steemAccount: { $in: beneficiaryAccounts } }, { username: 1, steemAccount: 1 }).lean() : [],
  ]);
  const usersById = new Map(users.map((u) => [u._id.toString(), u]));
  const usersByAccount = new Map(beneficiaryUsers.map((u) => [u.steemAccount!, u]));
  const votesByArticle = new Map<string, typeof votes>();
  for (const vote of votes) {
    const key = vote.article.toString();
    votesByArticle.set(key, [...(votesByArticle.get(key) ?? []), vote]);
  }

  const posts: SettlementPost[] = articles.map((article) => ({
    id: article._id.toString(),
    author: article.author.toString(),
    netRshares: BigInt(article.netRshares),
    totalVoteWeight: BigInt(article.totalVoteWeight),
    votes: (votesByArticle.get(article._id.toString()) ?? [])
      .filter((v) => v.rshares !== '0' || v.curationWeight !== '0')
      .map((v) => ({ voter: v.voter.toString(), rshares: BigInt(v.rshares), curationWeight: BigInt(v.curationWeight) })),
    beneficiaries: (article.beneficiaries ?? []).map((b) => ({ account: b.account!, weight: b.weight! })),
    maxAcceptedPayout: article.maxAcceptedPayout != null ? BigInt(article.maxAcceptedPayout) : policy.maxAcceptedPayoutDefault,
    percentLiquid: article.percentLiquid ?? 10000,
    allowCurationRewards: article.allowCurationRewards ?? true,
    declinePayout: article.declinePayout ?? false,
  }));
  lap('read');
  const { accrued: _accrued, ...accrued } = accrueFund(fund.state, now, policy);
  const result = settleBatch({ fund: accrued, policy, posts, now });

  const recipientOf = (role: string, recipient: string): Recipient => {
    const user = role === 'beneficiary' ? usersByAccount.get(recipient) : usersById.get(recipient);
    if (user) return { key: `u:${user._id.toString()}`, user: user._id, username: user.username, steemAccount: user.steemAccount ?? null };
    if (role === 'beneficiary') return { key: `@${recipient}`, user: null, username: null, steemAccount: recipient };
    // An author or voter whose user record is gone: kept, unclaimed, under the id.
    return { key: `u:${recipient}`, user: new Types.ObjectId(recipient), username: null, steemAccount: null };
  };
  const settlementIds = new Map(articles.map((a) => [a._id.toString(), new Types.ObjectId()]));
  const slugs = new Map(articles.map((a) => [a._id.toString(), a.slug]));
  const recipients = new Map<string, Recipient>();
  const shares: ShareInput[] = [];
  const settlementDocs = result.settlements.map((s) => {
    const entries = s.entries.map((entry) => {
      const recipient = recipientOf(entry.role, entry.recipient);
      recipients.set(recipient.key, recipient);
      shares.push({ recipient: recipient.key, postId: s.postId, role: entry.role, liquid: entry.liquid, power: entry.power });
      return { role: entry.role, user: recipient.user, username: recipient.username, steemAccount: recipient.steemAccount, liquid: entry.liquid.toString(), power: entry.power.toString() };
    });
    return settlementDocument(s, result, { id: settlementIds.get(s.postId)!, batch: batchId, slug: slugs.get(s.postId)!, usersById, entries });
  });
  const writtenAt = new Date();
  const payments = groupPayments(shares).map((payment) => {
    const recipient = recipients.get(payment.recipient)!;
    return {
      key: `${batchId}:${payment.recipient}`,
      batch: batchId,
      user: recipient.user,
      username: recipient.username,
      steemAccount: recipient.steemAccount,
      liquid: payment.liquid.toString(),
      power: payment.power.toString(),
      shares: payment.shares.map((share) => ({
        settlement: settlementIds.get(share.postId),
        article: new Types.ObjectId(share.postId),
        slug: slugs.get(share.postId),
        role: share.role,
        liquid: share.liquid.toString(),
        power: share.power.toString(),
      })),
      status: 'prepared',
      transaction: null,
      txId: null,
      blockNum: null,
      heldReason: null,
      settledAt: null,
      createdAt: writtenAt,
      updatedAt: writtenAt,
    };
  });

  lap('compute');
  try {
    // Leftovers of an abandoned batch whose worker was still writing when it was fenced off.
    await SettlementModel.deleteMany({ article: { $in: articleIds }, status: 'prepared', batch: { $ne: batchId } });
    // Both are invisible until the batch commits, so they are written side by side (and both have
    // finished before a failure abandons the batch, so nothing is written after its clean-up).
    const written = await Promise.allSettled([
      SettlementModel.insertMany(settlementDocs, { ordered: false, lean: true }),
      payments.length > 0 ? PaymentModel.insertMany(payments, { ordered: false, lean: true }) : undefined,
    ]);
    const failed = written.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (error) {
    await abandonBatch(batchId);
    throw error;
  }
  lap('write');
  const totals = {
    posts: articles.length,
    payout: result.totalPayout.toString(),
    distributed: result.totalDistributed.toString(),
    returnedToFund: result.totalReturnedToFund.toString(),
    payments: payments.length,
  };
  await SettlementBatchModel.updateOne(
    { _id: batchId },
    { $set: { totals, payoutBasis: { rewardBalance: result.payoutBasis.rewardBalance.toString(), recentClaims: result.payoutBasis.recentClaims.toString() } } },
  );
  const committed = await RewardFundModel.updateOne(
    { _id: REWARD_FUND_ID, version: fund.version },
    { $set: fundFields(result.fundAfter), $inc: { version: 1 }, $push: { recentBatches: { $each: [batchId], $slice: -100 } } },
  );
  if (committed.modifiedCount !== 1) {
    await abandonBatch(batchId);
    return null;
  }
  lap('commit');
  await SettlementBatchModel.updateOne({ _id: batchId, status: 'preparing' }, { $set: { status: 'committed' } });
  // Committed: applying it is idempotent and recovery finishes it, so the caller may overlap it with the next batch.
  const applied = applyBatch(batchId, settlementDocs).then(() => {
    lap('apply');
    context.logger.debug({ batch: batchId, timings }, 'settlement batch stage timings (ms)');
  });
  applied.catch(() => undefined); // the caller awaits it; this only keeps it from counting as unhandled meanwhile
  if (!context.overlapApply) await applied;

  const report: BatchReport = {
    batch: batchId,
    posts: articles.length,
    payments: payments.length,
    unclaimed: payments.filter((p) => p.steemAccount === null).length,
    payout: result.totalPayout,
    distributed: result.totalDistributed,
    returnedToFund: result.totalReturnedToFund,
    applied,
  };
  context.logger.info(
    { ...report, applied: undefined, payout: formatSteem(report.payout), distributed: formatSteem(report.distributed), returnedToFund: formatSteem(report.returnedToFund) },
    `settled ${report.posts} posts: ${formatSteem(report.distributed)} to ${report.payments} recipients (${report.unclaimed} unclaimed), ${formatSteem(report.returnedToFund)} back to the fund`,
  );
  return report;
}

function settlementDocument(
  s: BatchSettlement['settlements'][number],
  result: BatchSettlement,
  extra: {
    id: Types.ObjectId;
    batch: string;
    slug: string;
    usersById: Map<string, { username: string }>;
    entries: { role: string; user: Types.ObjectId | null; username: string | null; steemAccount: string | null; liquid: string; power: string }[];
  },
) {
  const post = s.inputs;
  return {
    _id: extra.id,
    article: new Types.ObjectId(s.postId),
    slug: extra.slug,
    author: new Types.ObjectId(s.author),
    batch: extra.batch,
    status: 'prepared',
    policyVersion: result.policyVersion,
    settledAt: unixToDate(result.settledAt),
    inputs: {
      netRshares: post.netRshares.toString(),
      totalVoteWeight: post.totalVoteWeight.toString(),
      maxAcceptedPayout: post.maxAcceptedPayout.toString(),
      percentLiquid: post.percentLiquid,
      allowCurationRewards: post.allowCurationRewards,
      declinePayout: post.declinePayout,
      beneficiaries: post.beneficiaries.map((b) => ({ account: b.account, weight: b.weight })),
      votes: post.votes.map((v) => ({
        user: new Types.ObjectId(v.voter),
        username: extra.usersById.get(v.voter)?.username ?? null,
        rshares: v.rshares.toString(),
        curationWeight: v.curationWeight.toString(),
      })),
    },
    fund: { rewardBalance: result.payoutBasis.rewardBalance.toString(), recentClaims: result.payoutBasis.recentClaims.toString() },
    claims: s.claims.toString(),
    outcome: s.outcome,
    uncappedPayout: s.uncappedPayout.toString(),
    payout: s.payout.toString(),
    curationTokens: s.curationTokens.toString(),
    authorTokens: s.authorTokens.toString(),
    returnedToFund: s.returnedToFund.toString(),
    distributed: s.distributed.toString(),
    entries: extra.entries,
  };
}
