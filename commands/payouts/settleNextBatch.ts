/**
 * Settles the posts whose payout time has passed, one batch (one fund snapshot) at a time: read
 * ahead, claim, compute (docs/rewards.md, "Payout split"), write the ledger, commit, apply
 * (docs/payouts.md, "Settlement batches"). Only the holder of the settle lease runs this.
 */
import { formatSteem } from '../../domain/money';
import { accrueFund, distributeBatchRewards, type RewardPolicy } from '../../domain/rewards';
import { loadFund } from '../rewards/fund';
import type { Logger } from '../../lib/logger';
import { claimDuePosts, readBatchRecipients, readClaimedArticles, readDueBatch, type DueBatch } from './dueBatch';
import { buildLedgerDocuments } from './ledgerDocuments';
import { abandonBatch, applyBatch, commitBatch, openBatch, writeBatchLedger } from './settlementLifecycle';
import { settlementPosts } from './settlementInputs';

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

function stageTimer() {
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (stage: string) => {
    const at = performance.now();
    timings[stage] = Math.round(at - mark);
    mark = at;
  };
  return { timings, lap };
}

/**
 * Settles the next batch of due posts (read ahead by `readDueBatch`, or read here); null when
 * none is due or none could be claimed. `onClaimed` runs once its posts are claimed, when the
 * batch after it may be read ahead.
 */
export async function settleNextBatch(context: SettlementContext, now: number, readAhead?: DueBatch | null, onClaimed?: () => void): Promise<BatchReport | null> {
  const { policy } = context;
  const { timings, lap } = stageTimer();
  const next = readAhead === undefined ? await readDueBatch(context, now) : readAhead;
  if (!next) return null;
  now = next.now;
  lap('read ahead');
  const fund = await loadFund(policy, now);
  const batchId = await openBatch({ owner: context.owner, fundVersion: fund.version, articles: next.ready.map((c) => c._id), settledAt: now, policy });
  await claimDuePosts(batchId, next.ready);
  onClaimed?.();
  const articles = await readClaimedArticles(batchId);
  if (articles.length === 0) {
    await abandonBatch(batchId);
    return null;
  }
  const claimed = new Set(articles.map((a) => a._id.toString()));
  const votes = articles.length === next.ready.length ? next.votes : next.votes.filter((v) => claimed.has(v.article.toString()));
  lap('claim');
  const { usersById, usersByAccount } = await readBatchRecipients(articles, votes);
  const posts = settlementPosts(articles, votes, policy);
  lap('read');
  const { accrued: _accrued, ...accrued } = accrueFund(fund.state, now, policy);
  const result = distributeBatchRewards({ fund: accrued, policy, posts, now });
  const slugs = new Map(articles.map((a) => [a._id.toString(), a.slug]));
  const comments = new Map(articles.flatMap((a) => (a.comment ? [[a._id.toString(), a.comment] as const] : [])));
  const ledger = buildLedgerDocuments(result, { batchId, slugs, comments, usersById, usersByAccount, writtenAt: new Date() });
  lap('compute');
  await writeBatchLedger(
    batchId,
    articles.map((a) => a._id),
    ledger.settlements,
    ledger.payments,
  );
  lap('write');
  const totals = {
    posts: articles.length,
    payout: result.totalPayout.toString(),
    distributed: result.totalDistributed.toString(),
    returnedToFund: result.totalReturnedToFund.toString(),
    payments: ledger.payments.length,
  };
  if (!(await commitBatch(batchId, fund.version, { totals, payoutBasis: result.payoutBasis, fundAfter: result.fundAfter }))) return null;
  lap('commit');
  // Committed: applying it is idempotent and recovery finishes it, so the caller may overlap it with the next batch.
  const applied = applyBatch(batchId, ledger.settlements).then(() => {
    lap('apply');
    context.logger.debug({ batch: batchId, timings }, 'settlement batch stage timings (ms)');
  });
  applied.catch(() => undefined); // the caller awaits it; this only keeps it from counting as unhandled meanwhile
  if (!context.overlapApply) await applied;

  const report: BatchReport = {
    batch: batchId,
    posts: articles.length,
    payments: ledger.payments.length,
    unclaimed: ledger.payments.filter((p) => p.steemAccount === null).length,
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
