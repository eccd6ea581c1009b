import { randomUUID } from 'node:crypto';
import type { AnyBulkWriteOperation, Collection, Document, Filter } from 'mongodb';
import { Types } from 'mongoose';
import type { RewardPolicy } from '../../domain/rewards';
import { decideVote } from '../../domain/votes';
import { ArticleModel } from '../../models/article';
import { EventModel } from '../../models/event';
import { MuteModel } from '../../models/mute';
import { NotificationModel } from '../../models/notification';
import { ReputationChangeModel } from '../../models/reputationChange';
import { UserModel } from '../../models/user';
import { VoteModel } from '../../models/vote';
import { AppError, conflict, notFound } from '../../server/errors';
import { isDuplicateKeyError } from '../duplicateKey';
import { uniqueIds } from '../objectIds';
import type { NotificationInput } from '../notifications/notify';
import {
  APPLIED_OPS_KEPT,
  POST_TALLY_FIELDS,
  applyPendingVote,
  articleCommits,
  closedForVotes,
  postTallyWrite,
  reputationAfter,
  reputationChangeWrite,
  reputationCommits,
  tallyOn,
  unix,
  voteEvent,
  voteNotification,
  voteRecordWrite,
  type PendingVote,
  type TallyPost,
} from './pendingVote';
import { stakeOf, storedManabar } from './voterMana';
import { inserted, touched, upserted } from './driverWrites';

export interface VoteRequest {
  voter: Types.ObjectId;
  article: Types.ObjectId;
  weight: number;
  now: Date;
  policy: RewardPolicy;
}

export interface CastVoteResult {
  vote: { weight: number; rshares: bigint; changes: number; votedAt: number };
  applied: PendingVote;
}

interface Waiting {
  request: VoteRequest;
  resolve: (result: CastVoteResult) => void;
  reject: (error: unknown) => void;
  attempts: number;
}

/** More votes than this wait for the next batch (and no post lands more than its replay window at once). */
const MAX_BATCH = APPLIED_OPS_KEPT;
const MAX_ATTEMPTS = 100;

/**
 * Votes arriving while a batch is being decided and applied are taken together by the next one:
 * one read of the voters, posts and existing votes, one guarded write per collection, instead of a
 * round trip per step per vote. A voter is in a batch at most once, so each voter's votes are decided
 * one after another, in the order they arrived. Across processes the guards (the voter's voteSeq,
 * the post's voteSeq, the author's reputationSeq) still decide, and a lost race retries the vote.
 */
export class VoteBatcher {
  private queue: Waiting[] = [];
  private running = false;

  submit(request: VoteRequest): Promise<CastVoteResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject, attempts: 0 });
      if (!this.running) {
        this.running = true;
        // Let the requests read in this turn of the event loop join the first batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch: Waiting[] = [];
      const later: Waiting[] = [];
      const voters = new Set<string>();
      for (const waiting of this.queue) {
        const voter = waiting.request.voter.toString();
        if (batch.length < MAX_BATCH && !voters.has(voter)) {
          voters.add(voter);
          batch.push(waiting);
        } else later.push(waiting);
      }
      this.queue = later;
      let retry: Waiting[] = [];
      try {
        retry = await decideChargeAndApply(batch);
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
      for (const waiting of retry) {
        waiting.attempts += 1;
        if (waiting.attempts >= MAX_ATTEMPTS) waiting.reject(conflict('too many concurrent votes; try again', 'vote'));
      }
      // A voter's retried vote goes before the votes that voter sent after it.
      this.queue = [...retry.filter((waiting) => waiting.attempts < MAX_ATTEMPTS), ...this.queue];
    }
    this.running = false;
  }
}

const VOTER_FIELDS = { stakeVests: 1, votingMana: 1, downvoteMana: 1, lastVoteTime: 1, voteSeq: 1, pendingVote: 1, reputation: 1 } as const;

interface VoterState {
  _id: Types.ObjectId;
  stakeVests: string | null;
  votingMana?: { current: string | null; lastUpdate: number };
  downvoteMana?: { current: string | null; lastUpdate: number };
  lastVoteTime: number | null;
  voteSeq: number;
  pendingVote: PendingVote | null;
  reputation: string;
}

export type PostState = TallyPost & { author: Types.ObjectId; payoutAt: Date; allowVotes?: boolean | null };

interface ExistingVote {
  article: Types.ObjectId;
  voter: Types.ObjectId;
  weight: number;
  rshares: string;
  curationWeight: string;
  changes: number;
}

/** A read through the driver: the documents as stored (what mongoose's lean() gives). */
async function readAll<T>(collection: Collection, filter: Filter<Document>, projection: Document): Promise<T[]> {
  return (await collection.find(filter, { projection }).toArray()) as unknown as T[];
}

const byId = <T extends { _id: Types.ObjectId }>(docs: T[]) => new Map(docs.map((doc) => [doc._id.toString(), doc]));

/**
 * Decides, charges and applies one batch (each voter once). Settles every request it can (resolved,
 * or rejected with the rule it breaks) and returns those to try again: a voter whose earlier vote was
 * still pending, or who voted through another process meanwhile.
 */
async function decideChargeAndApply(batch: Waiting[]): Promise<Waiting[]> {
  const voterIds = batch.map((w) => w.request.voter);
  const articleIds = uniqueIds(batch.map((w) => w.request.article));
  const [voterDocs, postDocs, existingDocs] = await Promise.all([
    readAll<VoterState>(UserModel.collection, { _id: { $in: voterIds } }, VOTER_FIELDS),
    readAll<PostState>(ArticleModel.collection, { _id: { $in: articleIds } }, { ...POST_TALLY_FIELDS, payoutAt: 1, allowVotes: 1 }),
    // The exact (article, voter) pairs: one index probe each, not one per voter and article.
    readAll<ExistingVote>(VoteModel.collection, { $or: batch.map((w) => ({ article: w.request.article, voter: w.request.voter })) }, { article: 1, voter: 1, weight: 1, rshares: 1, curationWeight: 1, changes: 1 }),
  ]);
  const voters = byId(voterDocs);
  const posts = byId(postDocs);
  const existing = new Map(existingDocs.map((vote) => [`${vote.article}:${vote.voter}`, vote]));

  const retry: Waiting[] = [];
  const rollForward: PendingVote[] = [];
  const decided: { waiting: Waiting; op: PendingVote; voter: VoterState; charge: AnyBulkWriteOperation }[] = [];
  for (const waiting of batch) {
    const { request } = waiting;
    const voter = voters.get(request.voter.toString());
    const post = posts.get(request.article.toString());
    if (!voter) {
      waiting.reject(notFound('voter no longer exists', 'voter'));
    } else if (voter.pendingVote) {
      rollForward.push(voter.pendingVote);
      retry.push(waiting);
    } else if (!post) {
      waiting.reject(notFound('article not found', 'article'));
    } else {
      const outcome = decide(request, voter, post, existing.get(`${request.article}:${request.voter}`));
      if (outcome instanceof AppError) waiting.reject(outcome);
      else decided.push({ waiting, voter, ...outcome });
    }
  }
  // A vote left pending (by a crash, or another process mid-vote) is finished before the voter's next.
  await Promise.all(rollForward.map((op) => applyPendingVote(op, batch[0]!.request.policy)));
  if (decided.length === 0) return retry;

  const charged = await chargeVoters(decided);
  for (const entry of decided) if (!charged.has(entry.op.id)) retry.push(entry.waiting);
  const landed = decided.filter((entry) => charged.has(entry.op.id));
  if (landed.length > 0) {
    await applyVoteBatch(
      landed.map((entry) => entry.op),
      landed[0]!.waiting.request.policy,
      posts,
      new Map(landed.map((entry) => [entry.op.voter, BigInt(entry.voter.reputation ?? '0')])),
    );
    for (const { waiting, op } of landed) {
      waiting.resolve({ vote: { weight: op.weight, rshares: BigInt(op.rshares), changes: op.changes, votedAt: op.votedAt }, applied: op });
    }
  }
  return retry;
}

function decide(request: VoteRequest, voter: VoterState, post: PostState, existing: ExistingVote | undefined): { op: PendingVote; charge: AnyBulkWriteOperation } | AppError {
  const { policy } = request;
  const now = unix(request.now);
  const stake = stakeOf(voter, policy);
  const decision = decideVote({
    weight: request.weight,
    now,
    policy,
    voter: {
      effectiveVests: stake,
      votingManabar: storedManabar(voter.votingMana, stake, now),
      downvoteManabar: storedManabar(voter.downvoteMana, (stake * BigInt(policy.downvotePoolPercent)) / 10000n, now),
      lastVoteTime: voter.lastVoteTime ?? null,
      reputation: BigInt(voter.reputation ?? '0'),
    },
    post: {
      createdAt: unix(post.createdAt),
      payoutAt: unix(post.payoutAt),
      paid: post.paid ?? false,
      allowVotes: post.allowVotes ?? true,
      allowCurationRewards: post.allowCurationRewards ?? true,
      voteRshares: BigInt(post.voteRshares),
    },
    existingVote: existing
      ? { weight: existing.weight, rshares: BigInt(existing.rshares), curationWeight: BigInt(existing.curationWeight), changes: existing.changes }
      : null,
    selfVote: post.author.equals(request.voter),
  });
  if (!decision.ok) return new AppError('validation', { vote: [`${decision.message} (${decision.code})`] }, decision.code);
  const op: PendingVote = {
    id: randomUUID(),
    article: post._id.toString(),
    voter: request.voter.toString(),
    author: post.author.toString(),
    kind: decision.kind,
    weight: decision.vote.weight,
    rshares: decision.vote.rshares.toString(),
    changes: decision.vote.changes,
    votedAt: decision.vote.votedAt,
    oldRshares: existing ? existing.rshares : null,
    oldWeight: existing?.weight ?? 0,
    oldCurationWeight: existing?.curationWeight ?? '0',
    eligibleForCuration: decision.kind === 'new' && decision.vote.curationWeight > 0n,
    secondsSinceCreated: now - unix(post.createdAt),
  };
  const charge: AnyBulkWriteOperation = {
    updateOne: {
      filter: { _id: request.voter, voteSeq: voter.voteSeq, pendingVote: null },
      update: touched({
        $set: {
          votingMana: { current: decision.votingManabar.currentMana.toString(), lastUpdate: decision.votingManabar.lastUpdateTime },
          downvoteMana: { current: decision.downvoteManabar.currentMana.toString(), lastUpdate: decision.downvoteManabar.lastUpdateTime },
          lastVoteTime: decision.lastVoteTime,
          pendingVote: op,
        },
        $inc: { voteSeq: 1 },
      }, new Date()),
    },
  };
  return { op, charge };
}

/** Debits every voter's mana and records the pending vote; returns the ids of the votes charged. */
async function chargeVoters(decided: { op: PendingVote; charge: AnyBulkWriteOperation }[]): Promise<Set<string>> {
  const result = await UserModel.collection.bulkWrite(decided.map((entry) => entry.charge), { ordered: false });
  if (result.modifiedCount === decided.length) return new Set(decided.map((entry) => entry.op.id));
  // Some voter moved on meanwhile (another process): the charge that took is the one now pending.
  const voters = await readAll<{ pendingVote: { id: string } | null }>(UserModel.collection, { _id: { $in: decided.map((entry) => new Types.ObjectId(entry.op.voter)) } }, { 'pendingVote.id': 1 });
  const pending = new Set(voters.map((voter) => voter.pendingVote?.id));
  return new Set(decided.filter((entry) => pending.has(entry.op.id)).map((entry) => entry.op.id));
}

/**
 * Lands a batch of charged votes: post counters, vote records, authors' reputation, events and
 * notifications, then clears the voters' pending marks. Every write is one command for the batch and
 * replays as a no-op; a guarded write that lost a race falls back to the one-vote path.
 */
export async function applyVoteBatch(ops: PendingVote[], policy: RewardPolicy, posts: Map<string, PostState>, voterReputation: Map<string, bigint>): Promise<void> {
  const landPostsThenRecords = async () => {
    const curation = await landOnPosts(ops, policy, posts);
    const now = new Date();
    await writeIgnoringDuplicates(() =>
      VoteModel.collection.bulkWrite(
        ops.map((op) => {
          const { filter, update } = voteRecordWrite(op, curation.get(op.id) ?? 0n);
          return { updateOne: { filter, update: upserted(update, now), upsert: true } };
        }),
        { ordered: false },
      ),
    );
  };
  await Promise.all([landPostsThenRecords(), countReputation(ops, voterReputation), recordEventsAndNotify(ops)]);
  const now = new Date();
  await UserModel.collection.bulkWrite(
    ops.map((op) => ({ updateOne: { filter: { _id: new Types.ObjectId(op.voter), 'pendingVote.id': op.id }, update: touched({ $set: { pendingVote: null } }, now) } })),
    { ordered: false },
  );
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

/** Lands each post's votes with one guarded write per post, all in one command; returns each vote's curation weight. */
async function landOnPosts(ops: PendingVote[], policy: RewardPolicy, posts: Map<string, PostState>): Promise<Map<string, bigint>> {
  const curation = new Map<string, bigint>();
  const writes: { id: Types.ObjectId; ops: PendingVote[]; write: ReturnType<typeof postTallyWrite>; tally: ReturnType<typeof tallyOn> }[] = [];
  for (const [postId, postOps] of groupBy(ops, (op) => op.article)) {
    const post = posts.get(postId)!;
    if (closedForVotes(post)) continue;
    const tally = tallyOn(post, postOps, policy);
    writes.push({ id: post._id, ops: postOps, write: postTallyWrite(post, tally), tally });
  }
  if (writes.length === 0) return curation;
  const now = new Date();
  const result = await ArticleModel.collection.bulkWrite(writes.map(({ write }) => ({ updateOne: { filter: write.filter, update: touched(write.update, now) } })), { ordered: false });
  const lost = result.modifiedCount === writes.length ? [] : await lostRaces(writes, postWindows);
  for (const w of writes) if (!lost.includes(w)) for (const c of w.tally.curation) curation.set(c.id, c.weight);
  const retried = await Promise.all(lost.flatMap((w) => w.ops.map(async (op) => [op.id, await articleCommits.submit(op.article, { op, policy })] as const)));
  for (const [id, weight] of retried) curation.set(id, weight);
  return curation;
}

/**
 * The guarded writes that lost a race (a vote through another process, a settlement claim): a write
 * that landed left its last vote's id in its document's replay window, which `windows` reads.
 */
async function lostRaces<W extends { id: Types.ObjectId; ops: PendingVote[] }>(writes: W[], windows: (ids: Types.ObjectId[]) => Promise<Map<string, Set<string>>>): Promise<W[]> {
  const landed = await windows(writes.map((w) => w.id));
  return writes.filter((w) => !landed.get(w.id.toString())?.has(w.ops[w.ops.length - 1]!.id));
}

async function postWindows(ids: Types.ObjectId[]): Promise<Map<string, Set<string>>> {
  const posts = await ArticleModel.find({ _id: { $in: ids } }, { appliedVoteOps: 1 }).lean<{ _id: Types.ObjectId; appliedVoteOps: { id: string }[] }[]>();
  return new Map(posts.map((post) => [post._id.toString(), new Set(post.appliedVoteOps.map((entry) => entry.id))]));
}

async function authorWindows(ids: Types.ObjectId[]): Promise<Map<string, Set<string>>> {
  const authors = await UserModel.find({ _id: { $in: ids } }, { reputationOps: 1 }).lean<{ _id: Types.ObjectId; reputationOps: string[] }[]>();
  return new Map(authors.map((author) => [author._id.toString(), new Set(author.reputationOps)]));
}

/** Moves each author's reputation with one guarded write per author, all in one command. */
async function countReputation(ops: PendingVote[], voterReputation: Map<string, bigint>): Promise<void> {
  const groups = groupBy(ops, (op) => op.author);
  const authors = await readAll<{ _id: Types.ObjectId; reputation: string; reputationSeq: number; reputationOps: string[] }>(
    UserModel.collection,
    { _id: { $in: [...groups.keys()].map((id) => new Types.ObjectId(id)) } },
    { reputation: 1, reputationSeq: 1, reputationOps: 1 },
  );
  const plans = authors.flatMap((author) => {
    // Counted already if another process rolled the vote forward after it was charged here.
    const counted = new Set(author.reputationOps);
    const authorOps = groups.get(author._id.toString())!.filter((op) => !counted.has(op.id));
    if (authorOps.length === 0) return [];
    return [{ id: author._id, author, ops: authorOps, ...reputationAfter(author._id.toString(), BigInt(author.reputation ?? '0'), authorOps, (voter) => voterReputation.get(voter) ?? 0n) }];
  });
  if (plans.length === 0) return;
  await ReputationChangeModel.collection.bulkWrite(
    plans.flatMap((plan) => plan.changes.map(({ op, delta }) => ({ updateOne: reputationChangeWrite(plan.author._id, op, delta) }))),
    { ordered: false },
  );
  const now = new Date();
  const result = await UserModel.collection.bulkWrite(
    plans.map((plan) => ({
      updateOne: {
        filter: { _id: plan.author._id, reputationSeq: plan.author.reputationSeq },
        update: touched(
          { $set: { reputation: plan.reputation.toString() }, $inc: { reputationSeq: 1 }, $push: { reputationOps: { $each: plan.ops.map((op) => op.id), $slice: -APPLIED_OPS_KEPT } } },
          now,
        ),
      },
    })),
    { ordered: false },
  );
  if (result.modifiedCount === plans.length) return;
  const lost = await lostRaces(plans, authorWindows);
  await Promise.all(lost.flatMap((plan) => plan.ops.map((op) => reputationCommits.submit(op.author, op))));
}

/** The batch's `vote.applied` events and the authors' notifications (muted voters and self-votes left out). */
async function recordEventsAndNotify(ops: PendingVote[]): Promise<void> {
  const now = new Date();
  await EventModel.collection.insertMany(ops.map((op) => inserted(voteEvent(op), now)));
  const notifications = ops.map(voteNotification).filter((n): n is NotificationInput => n !== null && !n.actor!.equals(n.recipient));
  if (notifications.length === 0) return;
  const mutes = await readAll<{ muter: Types.ObjectId; muted: Types.ObjectId }>(
    MuteModel.collection,
    { muter: { $in: notifications.map((n) => n.recipient) }, muted: { $in: notifications.map((n) => n.actor!) } },
    { muter: 1, muted: 1 },
  );
  const muted = new Set(mutes.map((mute) => `${mute.muter}:${mute.muted}`));
  const delivered = notifications.filter((n) => !muted.has(`${n.recipient}:${n.actor}`));
  if (delivered.length === 0) return;
  await writeIgnoringDuplicates(() =>
    NotificationModel.collection.insertMany(
      delivered.map((n) => inserted({ ...n, data: n.data ?? {} }, now, { actor: null, article: null, commentId: null })),
      { ordered: false },
    ),
  );
}

/** Runs an unordered bulk write whose duplicate-key failures mean "already done" (a replay). */
async function writeIgnoringDuplicates(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    const writeErrors = (error as { writeErrors?: unknown[] }).writeErrors;
    const failures = Array.isArray(writeErrors) && writeErrors.length > 0 ? writeErrors : [error];
    if (!failures.every((failure) => isDuplicateKeyError(failure) || isDuplicateKeyError((failure as { err?: unknown }).err))) throw error;
  }
}
