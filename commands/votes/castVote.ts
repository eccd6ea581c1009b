import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { curationWeight, type RewardPolicy } from '../../domain/rewards';
import { decideVote, type AcceptedVote } from '../../domain/votes';
import { storedManabar } from './voterMana';
import { reputationDelta } from '../../domain/reputation';
import { hotScore, trendingScore } from '../../domain/ranking';
import { ArticleModel } from '../../models/article';
import { UserModel } from '../../models/user';
import { VoteModel } from '../../models/vote';
import { AppError, conflict, notFound } from '../../server/errors';
import { isDuplicateKeyError } from '../duplicateKey';
import { notify } from '../notifications/notify';
import { KeyedMutex } from '../../server/keyedMutex';
import { GroupCommitter } from '../../server/groupCommit';
import { EventModel } from '../../models/event';
import { ReputationChangeModel } from '../../models/reputationChange';

/** One decision per voter at a time in this process (the voter document is the lock across processes). */
const voterQueue = new KeyedMutex();

/**
 * A vote decided and charged to the voter, stored on the voter as `pendingVote` in the same guarded
 * update that debits the mana. Applying it to the vote record, the post's counters and the author's
 * reputation is idempotent, so whoever finds it pending (this request, or the voter's next vote after
 * a crash) rolls it forward: mana is spent exactly when the vote counts.
 */
export interface PendingVote {
  id: string;
  article: string;
  voter: string;
  author: string;
  kind: AcceptedVote['kind'];
  weight: number;
  rshares: string;
  changes: number;
  votedAt: number;
  oldRshares: string | null;
  oldWeight: number;
  /** w_i of the vote being changed (what a change removes from total_vote_weight). */
  oldCurationWeight: string;
  eligibleForCuration: boolean;
  secondsSinceCreated: number;
}

export interface CastVoteResult {
  vote: { weight: number; rshares: bigint; changes: number; votedAt: number };
  applied: PendingVote;
}

const MAX_ATTEMPTS = 100;
const APPLIED_OPS_KEPT = 200;
const unix = (date: Date) => Math.floor(date.getTime() / 1000);

interface VoterDoc {
  _id: Types.ObjectId;
  stakeVests: string | null;
  votingMana?: { current: string | null; lastUpdate: number };
  downvoteMana?: { current: string | null; lastUpdate: number };
  lastVoteTime: number | null;
  voteSeq: number;
  pendingVote: PendingVote | null;
  reputation: string;
}

export function stakeOf(voter: { stakeVests?: string | null }, policy: RewardPolicy): bigint {
  return voter.stakeVests != null ? BigInt(voter.stakeVests) : policy.baseStakeVests;
}

/**
 * Casts (or changes, or with weight 0 removes) a vote by Steem's rules. Refusals are 422s naming
 * the rule. One decision per voter at a time: the voter document is the lock.
 */
export function castVote(props: { voter: Types.ObjectId; article: Types.ObjectId; weight: number; now: Date; policy: RewardPolicy }): Promise<CastVoteResult> {
  return voterQueue.run(props.voter.toString(), () => decideAndCharge(props));
}

async function decideAndCharge(props: { voter: Types.ObjectId; article: Types.ObjectId; weight: number; now: Date; policy: RewardPolicy }): Promise<CastVoteResult> {
  const now = unix(props.now);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const voter = await UserModel.findById(props.voter).lean<VoterDoc>();
    if (!voter) throw notFound('voter no longer exists', 'voter');
    if (voter.pendingVote) {
      await applyPendingVote(voter.pendingVote, props.policy);
      continue;
    }
    const [article, existing] = await Promise.all([
      ArticleModel.findById(props.article).lean(),
      VoteModel.findOne({ article: props.article, voter: props.voter }).lean(),
    ]);
    if (!article) throw notFound('article not found', 'article');
    const stake = stakeOf(voter, props.policy);
    const decision = decideVote({
      weight: props.weight,
      now,
      policy: props.policy,
      voter: {
        effectiveVests: stake,
        votingManabar: storedManabar(voter.votingMana, stake, now),
        downvoteManabar: storedManabar(voter.downvoteMana, (stake * BigInt(props.policy.downvotePoolPercent)) / 10000n, now),
        lastVoteTime: voter.lastVoteTime ?? null,
        reputation: BigInt(voter.reputation ?? '0'),
      },
      post: {
        createdAt: unix(article.createdAt as Date),
        payoutAt: unix(article.payoutAt),
        paid: article.paid,
        allowVotes: article.allowVotes,
        allowCurationRewards: article.allowCurationRewards,
        voteRshares: BigInt(article.voteRshares),
      },
      existingVote: existing
        ? { weight: existing.weight, rshares: BigInt(existing.rshares), curationWeight: BigInt(existing.curationWeight), changes: existing.changes }
        : null,
      selfVote: article.author.equals(props.voter),
    });
    if (!decision.ok) throw new AppError('validation', { vote: [`${decision.message} (${decision.code})`] }, decision.code);

    const op: PendingVote = {
      id: randomUUID(),
      article: article._id.toString(),
      voter: props.voter.toString(),
      author: article.author.toString(),
      kind: decision.kind,
      weight: decision.vote.weight,
      rshares: decision.vote.rshares.toString(),
      changes: decision.vote.changes,
      votedAt: decision.vote.votedAt,
      oldRshares: existing ? existing.rshares : null,
      oldWeight: existing?.weight ?? 0,
      oldCurationWeight: existing?.curationWeight ?? '0',
      eligibleForCuration: decision.kind === 'new' && decision.vote.curationWeight > 0n,
      secondsSinceCreated: now - unix(article.createdAt as Date),
    };
    const charged = await UserModel.updateOne(
      { _id: props.voter, voteSeq: voter.voteSeq, pendingVote: null },
      {
        $set: {
          votingMana: { current: decision.votingManabar.currentMana.toString(), lastUpdate: decision.votingManabar.lastUpdateTime },
          downvoteMana: { current: decision.downvoteManabar.currentMana.toString(), lastUpdate: decision.downvoteManabar.lastUpdateTime },
          lastVoteTime: decision.lastVoteTime,
          pendingVote: op,
        },
        $inc: { voteSeq: 1 },
      },
    );
    if (charged.modifiedCount === 0) continue; // the voter voted elsewhere meanwhile: decide again
    await applyPendingVote(op, props.policy);
    return { vote: { weight: op.weight, rshares: BigInt(op.rshares), changes: op.changes, votedAt: op.votedAt }, applied: op };
  }
  throw conflict('too many concurrent votes; try again', 'vote');
}

/** Applies a charged vote everywhere it counts; every step is a no-op when replayed. */
export async function applyPendingVote(op: PendingVote, policy: RewardPolicy): Promise<void> {
  const curation = await applyToArticle(op, policy);
  await writeVoteRecord(op, curation);
  await applyReputation(op);
  // Event and notification before the pending marker goes: a replay may repeat the event (its
  // processors are idempotent) and the notification's dedupe key makes it once.
  await EventModel.create({ type: 'vote.applied', user: new Types.ObjectId(op.author), article: new Types.ObjectId(op.article), data: { vote: op.id } });
  if (op.kind === 'new' || BigInt(op.rshares) !== 0n) {
    await notify({
      recipient: new Types.ObjectId(op.author),
      type: 'vote',
      actor: new Types.ObjectId(op.voter),
      article: new Types.ObjectId(op.article),
      data: { weight: op.weight, rshares: op.rshares },
      dedupeKey: `vote:${op.id}`,
    });
  }
  await UserModel.updateOne({ _id: op.voter, 'pendingVote.id': op.id }, { $set: { pendingVote: null } });
}

/**
 * Rolls forward votes left pending by a process that stopped between charging the voter and
 * applying the vote (crash, kill): finds voters whose pending vote is older than `olderThan`.
 */
export async function applyStalePendingVotes(policy: RewardPolicy, olderThanUnix: number, limit = 100): Promise<number> {
  const stale = await UserModel.find({ 'pendingVote.votedAt': { $lt: olderThanUnix } }, { pendingVote: 1 }).limit(limit).lean<{ pendingVote: PendingVote | null }[]>();
  for (const user of stale) if (user.pendingVote) await applyPendingVote(user.pendingVote, policy);
  return stale.length;
}

function applyToArticle(op: PendingVote, policy: RewardPolicy): Promise<bigint> {
  return articleCommits.submit(op.article, { op, policy });
}

const articleCommits = new GroupCommitter<{ op: PendingVote; policy: RewardPolicy }, bigint>((articleId, items) => applyToArticleNow(articleId, items));

/**
 * Applies votes to a post's counters in order, all in one compare-and-set write. Curation weight
 * depends on the post's vote_rshares at the moment each vote lands, so it is computed here.
 */
async function applyToArticleNow(articleId: string, items: { op: PendingVote; policy: RewardPolicy }[]): Promise<bigint[]> {
  for (;;) {
    const article = await ArticleModel.findById(articleId).lean();
    if (!article) return items.map(() => 0n); // deleted meanwhile: nothing left to count on
    // Claimed by a settlement: the votes were cast before the payout but arrived after it was taken.
    if (article.paid || article.settlingBatch) return items.map(() => 0n);
    const abs = (value: bigint) => (value < 0n ? -value : value);
    let net = BigInt(article.netRshares);
    let absolute = BigInt(article.absRshares);
    let voteRshares = BigInt(article.voteRshares);
    let totalVoteWeight = BigInt(article.totalVoteWeight);
    let upDelta = 0;
    let downDelta = 0;
    const results: bigint[] = [];
    const applied: { id: string; curationWeight: string; raw: string }[] = [];
    for (const { op, policy } of items) {
      const earlier = article.appliedVoteOps.find((entry) => entry.id === op.id) ?? applied.find((entry) => entry.id === op.id);
      if (earlier) {
        results.push(BigInt(earlier.curationWeight ?? '0'));
        continue;
      }
      const rshares = BigInt(op.rshares);
      const oldRshares = op.oldRshares === null ? 0n : BigInt(op.oldRshares);
      const curation =
        op.eligibleForCuration && article.allowCurationRewards
          ? curationWeight({ voteRsharesBefore: voteRshares, rshares, secondsSinceCreated: op.secondsSinceCreated, contentConstant: policy.contentConstant, reverseAuctionSeconds: policy.reverseAuctionSeconds })
          : { raw: 0n, weight: 0n };
      net += rshares - oldRshares;
      absolute += abs(rshares) - abs(oldRshares);
      // vote_rshares grows with new upvotes only (steemd leaves it on changes).
      if (op.kind === 'new' && rshares > 0n) voteRshares += rshares;
      totalVoteWeight += curation.raw - (op.kind === 'new' ? 0n : BigInt(op.oldCurationWeight));
      if (totalVoteWeight < 0n) totalVoteWeight = 0n;
      upDelta += (op.weight > 0 ? 1 : 0) - (op.oldWeight > 0 ? 1 : 0);
      downDelta += (op.weight < 0 ? 1 : 0) - (op.oldWeight < 0 ? 1 : 0);
      applied.push({ id: op.id, curationWeight: curation.weight.toString(), raw: curation.raw.toString() });
      results.push(curation.weight);
    }
    if (applied.length === 0) return results;
    const created = unix(article.createdAt as Date);
    const updated = await ArticleModel.updateOne(
      { _id: article._id, voteSeq: article.voteSeq },
      {
        $set: {
          netRshares: net.toString(),
          absRshares: absolute.toString(),
          voteRshares: voteRshares.toString(),
          totalVoteWeight: totalVoteWeight.toString(),
          trendingScore: trendingScore(net, created),
          hotScore: hotScore(net, created),
          rankRshares: Number(net),
        },
        $inc: { voteSeq: 1, favoritesCount: upDelta, downvotes: downDelta },
        $push: { appliedVoteOps: { $each: applied, $slice: -APPLIED_OPS_KEPT } },
      },
    );
    if (updated.modifiedCount === 1) return results;
  }
}

async function writeVoteRecord(op: PendingVote, curation: bigint): Promise<void> {
  const fields = { weight: op.weight, rshares: op.rshares, changes: op.changes, curationWeight: curation.toString(), lastOp: op.id };
  try {
    await VoteModel.updateOne({ article: op.article, voter: op.voter, lastOp: { $ne: op.id } }, { $set: fields }, { upsert: true });
  } catch (error) {
    // The unique (article, voter) index: the record exists and already carries this operation.
    if (!isDuplicateKeyError(error)) throw error;
  }
}

/** The author's raw reputation (§3.1), counted once per vote operation. */
function applyReputation(op: PendingVote): Promise<void> {
  return reputationCommits.submit(op.author, op);
}

const reputationCommits = new GroupCommitter<PendingVote, void>((authorId, ops) => applyReputationNow(authorId, ops));

async function applyReputationNow(authorId: string, ops: PendingVote[]): Promise<void[]> {
  for (;;) {
    const author = await UserModel.findById(authorId, { reputation: 1, reputationSeq: 1, reputationOps: 1 }).lean();
    if (!author) return ops.map(() => undefined);
    const voterIds = [...new Set(ops.filter((op) => op.voter !== authorId).map((op) => op.voter))];
    const voters = new Map((await UserModel.find({ _id: { $in: voterIds } }, { reputation: 1 }).lean()).map((v) => [v._id.toString(), BigInt(v.reputation ?? '0')]));
    let reputation = BigInt(author.reputation ?? '0');
    const counted: string[] = [];
    const changes: { op: PendingVote; delta: bigint }[] = [];
    for (const op of ops) {
      if (author.reputationOps.includes(op.id) || counted.includes(op.id)) continue;
      const delta = reputationDelta({
        voterReputation: op.voter === authorId ? reputation : (voters.get(op.voter) ?? 0n),
        authorReputation: reputation,
        oldRshares: op.oldRshares === null ? null : BigInt(op.oldRshares),
        newRshares: BigInt(op.rshares),
        selfVote: op.voter === authorId,
      });
      reputation += delta;
      changes.push({ op, delta });
      counted.push(op.id);
    }
    if (counted.length === 0) return ops.map(() => undefined);
    // Recorded (idempotently, per vote) before the counter moves, so a crash in between is repaired
    // by the roll-forward, which records its own deltas again before its write.
    await ReputationChangeModel.bulkWrite(
      changes.map(({ op, delta }) => ({
        updateOne: { filter: { op: op.id }, update: { $set: { user: author._id, delta: Number(delta), at: new Date(op.votedAt * 1000) } }, upsert: true },
      })),
      { ordered: false },
    );
    const updated = await UserModel.updateOne(
      { _id: author._id, reputationSeq: author.reputationSeq },
      { $set: { reputation: reputation.toString() }, $inc: { reputationSeq: 1 }, $push: { reputationOps: { $each: counted, $slice: -APPLIED_OPS_KEPT } } },
    );
    if (updated.modifiedCount === 1) return ops.map(() => undefined);
  }
}
