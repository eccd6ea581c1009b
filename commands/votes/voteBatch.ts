import { randomUUID } from 'node:crypto';
import type { AnyBulkWriteOperation, Collection, Document, Filter } from 'mongodb';
import { Types } from 'mongoose';
import { advanceFund, type RewardFundState, type RewardPolicy } from '../../domain/rewards';
import { decideVote, type AcceptedVote } from '../../domain/votes';
import { ArticleModel } from '../../models/article';
import { EventModel } from '../../models/event';
import { FollowModel } from '../../models/follow';
import { MuteModel } from '../../models/mute';
import { NotificationModel } from '../../models/notification';
import { ReputationChangeModel } from '../../models/reputationChange';
import { UserModel } from '../../models/user';
import { VoteModel } from '../../models/vote';
import { AppError, conflict, notFound, unauthorized } from '../../lib/errors';
import { SESSION_ENDED, sessionIsCurrent, type SessionState } from '../../lib/auth/sessions';
import type { TokenSession } from '../../lib/auth/tokens';
import type { ArticleAuthor } from '../articles/articleViews';
import { STORED_ARTICLE_PROJECTION, type StoredArticle } from '../articles/findArticle';
import { isDuplicateKeyError } from '../duplicateKey';
import { uniqueIds } from '../objectIds';
import { loadFund } from '../rewards/fund';
import type { NotificationInput } from '../notifications/notify';
import {
  APPLIED_OPS_KEPT,
  applyPendingVote,
  articleCommits,
  closedForVotes,
  closedPostWrite,
  isVote,
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
  /** The article's author as the caller read it: the batch reads authors with the voters, in one query. */
  author: Types.ObjectId;
  /**
   * Set when the caller found the article by a slug it remembered: the vote is refused with
   * `ArticleMovedFromSlug` unless the post, as the batch reads it, still has this slug.
   */
  rememberedSlug?: string;
  weight: number;
  now: Date;
  policy: RewardPolicy;
  /** The session of the token the vote came with, checked against the voter as the batch reads it (absent: the caller checked). */
  session?: Pick<TokenSession, 'epoch' | 'jti'>;
  /**
   * Set by the favorite routes: the favorite wanted (`weight` is then ignored). The favorite is always
   * recorded; it is a 10000 upvote (an unfavorite removes the upvote) when the vote rules allow it,
   * and otherwise recorded without a vote, with the rule that refused it. Never refused by a vote rule.
   */
  favorite?: boolean;
}

/** The remembered slug no longer names the article (renamed or deleted since): look it up again. */
export class ArticleMovedFromSlug extends Error {}

export interface CastVoteResult {
  unchanged?: false;
  /** The voter's username, as the batch read it. */
  voterName: string;
  vote: { weight: number; rshares: bigint; changes: number; votedAt: number };
  applied: PendingVote;
  /** The post as its batch's guarded write left it; absent when another path landed the vote. */
  post?: StoredArticle;
  /** The post's author as the batch left them (reputation moved); absent when another path counted the reputation. */
  author?: ArticleAuthor;
  /** Whether the voter follows the post's author (read with the batch). */
  following: boolean;
  /** The reward fund as the batch read it, accrued and decayed to the vote's time (what estimates use). */
  fund: RewardFundState;
}

/** A favorite request that found the favorite already as asked: nothing written. */
export interface FavoriteUnchanged {
  unchanged: true;
  favorite: boolean;
}

export type VoteOutcome = CastVoteResult | FavoriteUnchanged;

/** The fields of a post a vote moves, as stored once the vote's batch landed on it. */
interface PostVoteCountersAfter {
  netRshares: string;
  absRshares: string;
  voteRshares: string;
  totalVoteWeight: string;
  trendingScore: number;
  hotScore: number;
  rankRshares: number;
  voteSeq: number;
  favoritesCount: number;
  upvotes: number;
  downvotes: number;
  updatedAt: Date;
}

interface Waiting {
  request: VoteRequest;
  resolve: (result: VoteOutcome) => void;
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
  private readonly marks = new AppliedMarks();
  private idleWaiters: (() => void)[] = [];

  /** A vote resolves to its result; a favorite request may also find the favorite already as asked. */
  submit(request: VoteRequest & { favorite?: undefined }): Promise<CastVoteResult>;
  submit(request: VoteRequest): Promise<VoteOutcome>;
  submit(request: VoteRequest): Promise<VoteOutcome> {
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
    do {
      await this.decideQueued();
      // No vote waiting to carry them: the last batch's pending marks are cleared on their own.
      await this.marks.flush();
    } while (this.queue.length > 0);
    this.running = false;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Settles once no vote is queued or being decided and the landed votes' pending marks are cleared. */
  whenIdle(): Promise<void> {
    return this.running ? new Promise((resolve) => this.idleWaiters.push(resolve)) : Promise.resolve();
  }

  private async decideQueued(): Promise<void> {
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
        retry = await decideChargeAndApply(batch, this.marks);
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
  }
}

/**
 * The pending marks of votes this process has landed, not yet cleared. Clearing them is one more
 * update per voter; the next batch's charge command carries those updates (a voter voting again has
 * the mark replaced by the charge itself), so a busy process spends no command or round trip on
 * them, and an idle one clears them at once. A mark left behind (a crash, a failed write) is only a
 * landed vote that its voter's next vote, or the stale-vote sweep, rolls forward again as a no-op.
 */
class AppliedMarks {
  private readonly byVoter = new Map<string, string>();

  add(ops: PendingVote[]): void {
    for (const op of ops) this.byVoter.set(op.voter, op.id);
  }

  /** Whether this voter's pending vote is one this process landed. */
  landed(voter: Types.ObjectId, opId: string): boolean {
    return this.byVoter.get(voter.toString()) === opId;
  }

  /** Every mark, except those of voters whose charge replaces it; forgets them all. */
  take(replacedFor: Set<string>): { voter: string; id: string }[] {
    const marks = [...this.byVoter].filter(([voter]) => !replacedFor.has(voter)).map(([voter, id]) => ({ voter, id }));
    this.byVoter.clear();
    return marks;
  }

  async flush(): Promise<void> {
    const marks = this.take(new Set());
    if (marks.length === 0) return;
    try {
      await clearPendingMarks(marks);
    } catch {
      // Left behind, each is rolled forward (a no-op) by its voter's next vote or the sweep.
    }
  }
}

function pendingMarkClear(vote: { voter: string; id: string }, now: Date): AnyBulkWriteOperation {
  return { updateOne: { filter: { _id: new Types.ObjectId(vote.voter), 'pendingVote.id': vote.id }, update: touched({ $set: { pendingVote: null } }, now) } };
}

/** Clears the pending marks of landed votes, in one command (what the batcher's next charge, or its flush, does). */
export async function clearPendingMarks(votes: { voter: string; id: string }[]): Promise<void> {
  const now = new Date();
  await UserModel.collection.bulkWrite(votes.map((vote) => pendingMarkClear(vote, now)), { ordered: false });
}

const USER_FIELDS = {
  stakeVests: 1, votingMana: 1, downvoteMana: 1, lastVoteTime: 1, voteSeq: 1, pendingVote: 1, reputation: 1, reputationSeq: 1, username: 1, bio: 1, image: 1, steemAccount: 1, sessionEpoch: 1, revokedSessions: 1,
} as const;

/**
 * A voter's or an author's state as a batch reads it: what deciding, charging and counting reputation
 * need, and the author's profile the answer shows.
 */
interface UserState extends Omit<ArticleAuthor, 'reputation'>, SessionState {
  _id: Types.ObjectId;
  stakeVests: string | null;
  votingMana?: { current: string | null; lastUpdate: number };
  downvoteMana?: { current: string | null; lastUpdate: number };
  lastVoteTime: number | null;
  voteSeq: number;
  pendingVote: PendingVote | null;
  reputation: string;
  reputationSeq: number;
}

/**
 * A post as a batch reads it: what deciding and landing votes need (`POST_TALLY_FIELDS` and more),
 * and all that the answer presents, so that no vote reads its article again.
 */
export const BATCH_POST_PROJECTION = STORED_ARTICLE_PROJECTION;

export type PostState = StoredArticle & TallyPost & { voteSeq: number };

interface ExistingVote {
  article: Types.ObjectId;
  voter: Types.ObjectId;
  weight: number;
  rshares: string;
  curationWeight: string;
  changes: number;
  /** Absent on records from before favorites were kept apart (then `weight > 0`). */
  favorite?: boolean;
  favoriteRefusal?: string | null;
}

/** What a batch reads before deciding, in one round of queries: everything it needs until it writes. */
export interface BatchReads {
  /** Voters and authors. */
  users: Map<string, UserState>;
  posts: Map<string, PostState>;
  /** Existing votes by `article:voter`. */
  existing: Map<string, ExistingVote>;
  /** `muter:muted` for the authors who muted a voter of the batch. */
  mutes: Set<string>;
  /** `follower:followee` for the voters who follow an author of the batch. */
  follows: Set<string>;
}

/** A read through the driver: the documents as stored (what mongoose's lean() gives). */
async function readAll<T>(collection: Collection, filter: Filter<Document>, projection: Document): Promise<T[]> {
  return (await collection.find(filter, { projection }).toArray()) as unknown as T[];
}

const byId = <T extends { _id: Types.ObjectId }>(docs: T[]) => new Map(docs.map((doc) => [doc._id.toString(), doc]));

export async function readBatch(votes: { voter: Types.ObjectId; article: Types.ObjectId; author: Types.ObjectId }[]): Promise<BatchReads> {
  const voterIds = uniqueIds(votes.map((v) => v.voter));
  const authorIds = uniqueIds(votes.map((v) => v.author));
  const [users, posts, existing, mutes, follows] = await Promise.all([
    readAll<UserState>(UserModel.collection, { _id: { $in: uniqueIds([...voterIds, ...authorIds]) } }, USER_FIELDS),
    readAll<PostState>(ArticleModel.collection, { _id: { $in: uniqueIds(votes.map((v) => v.article)) } }, BATCH_POST_PROJECTION),
    // The exact (article, voter) pairs: one index probe each, not one per voter and article.
    readAll<ExistingVote>(VoteModel.collection, { $or: votes.map((v) => ({ article: v.article, voter: v.voter })) }, { article: 1, voter: 1, weight: 1, rshares: 1, curationWeight: 1, changes: 1, favorite: 1, favoriteRefusal: 1 }),
    readAll<{ muter: Types.ObjectId; muted: Types.ObjectId }>(MuteModel.collection, { muter: { $in: authorIds }, muted: { $in: voterIds } }, { muter: 1, muted: 1 }),
    readAll<{ follower: Types.ObjectId; followee: Types.ObjectId }>(FollowModel.collection, { follower: { $in: voterIds }, followee: { $in: authorIds } }, { follower: 1, followee: 1 }),
  ]);
  return {
    users: byId(users),
    posts: byId(posts),
    existing: new Map(existing.map((vote) => [`${vote.article}:${vote.voter}`, vote])),
    mutes: new Set(mutes.map((mute) => `${mute.muter}:${mute.muted}`)),
    follows: new Set(follows.map((follow) => `${follow.follower}:${follow.followee}`)),
  };
}

/**
 * Decides, charges and applies one batch (each voter once). Settles every request it can (resolved,
 * or rejected with the rule it breaks) and returns those to try again: a voter whose earlier vote was
 * still pending, or who voted through another process meanwhile.
 */
async function decideChargeAndApply(batch: Waiting[], marks: AppliedMarks): Promise<Waiting[]> {
  const { policy, now } = batch[0]!.request;
  const [reads, fund] = await Promise.all([readBatch(batch.map((w) => w.request)), loadFund(policy, unix(now))]);
  const retry: Waiting[] = [];
  const rollForward: PendingVote[] = [];
  const decided: { waiting: Waiting; op: PendingVote; charge: AnyBulkWriteOperation }[] = [];
  for (const waiting of batch) {
    const { request } = waiting;
    const voter = reads.users.get(request.voter.toString());
    const post = reads.posts.get(request.article.toString());
    if (!voter) {
      waiting.reject(unauthorized('token names a user that no longer exists', 'token'));
    } else if (request.session && !sessionIsCurrent(voter, request.session)) {
      waiting.reject(unauthorized(SESSION_ENDED, 'token'));
    } else if (voter.pendingVote && !marks.landed(request.voter, voter.pendingVote.id)) {
      rollForward.push(voter.pendingVote);
      retry.push(waiting);
    } else if (request.rememberedSlug !== undefined && post?.slug !== request.rememberedSlug) {
      waiting.reject(new ArticleMovedFromSlug());
    } else if (!post) {
      waiting.reject(notFound('article not found', 'article'));
    } else {
      const outcome = decide(request, voter, post, reads.existing.get(`${request.article}:${request.voter}`), voter.pendingVote?.id ?? null);
      if (outcome instanceof AppError) waiting.reject(outcome);
      else if ('unchanged' in outcome) waiting.resolve(outcome);
      else decided.push({ waiting, ...outcome });
    }
  }
  // A vote left pending (by a crash, or another process mid-vote) is finished before the voter's next.
  await Promise.all(rollForward.map((op) => applyPendingVote(op, policy)));
  if (decided.length === 0) return retry;

  const charged = await chargeVoters(decided, marks.take(new Set(decided.map((entry) => entry.op.voter))));
  for (const entry of decided) if (!charged.has(entry.op.id)) retry.push(entry.waiting);
  const landed = decided.filter((entry) => charged.has(entry.op.id));
  if (landed.length > 0) {
    const ops = landed.map((entry) => entry.op);
    const after = await landVoteBatch(ops, policy, reads);
    marks.add(ops);
    for (const { waiting, op } of landed) {
      const post = after.posts.get(op.article);
      const author = after.authors.get(op.author);
      waiting.resolve({
        unchanged: false,
        voterName: reads.users.get(op.voter)!.username,
        vote: { weight: op.weight, rshares: BigInt(op.rshares), changes: op.changes, votedAt: op.votedAt },
        applied: op,
        ...(post ? { post } : {}),
        ...(author ? { author } : {}),
        following: reads.follows.has(`${op.voter}:${op.author}`),
        fund: advanceFund(fund.state, unix(waiting.request.now), policy),
      });
    }
  }
  return retry;
}

/** The voter's favorite as the record stands (a record from before favorites were kept apart: an upvote). */
const favoriteOf = (existing: ExistingVote | undefined) => (existing ? (existing.favorite ?? existing.weight > 0) : false);

/** A record with weight 0 and no changes holds a favorite that never was a vote: for the rules, no vote. */
const votedRecord = (existing: ExistingVote | undefined) => (existing && !(existing.weight === 0 && existing.changes === 0) ? existing : undefined);

type Decided = { op: PendingVote; charge: AnyBulkWriteOperation };

/**
 * `landedMark`: the voter's pending mark, of a vote this process landed, which the charge replaces.
 * A favorite request is never refused by a vote rule: when the rules refuse its upvote (or its
 * unfavorite's removal), the favorite is recorded without a vote, naming the rule.
 */
function decide(request: VoteRequest, voter: UserState, post: PostState, existing: ExistingVote | undefined, landedMark: string | null): Decided | FavoriteUnchanged | AppError {
  if (request.favorite === undefined) {
    const decision = decideWeight(request, request.weight, voter, post, votedRecord(existing));
    if (!decision.ok) return new AppError('validation', { vote: [`${decision.message} (${decision.code})`] }, decision.code);
    return accepted(request, decision, voter, post, votedRecord(existing), landedMark, { favorite: decision.vote.weight > 0, oldFavorite: favoriteOf(existing), favoriteRefusal: null });
  }
  const wanted = request.favorite;
  const was = favoriteOf(existing);
  if (wanted === was) return { unchanged: true, favorite: wanted };
  const weight = existing?.weight ?? 0;
  const flags = { favorite: wanted, oldFavorite: was };
  // A favorite over an upvote already there, or an unfavorite over no upvote: the vote stays as it is.
  if (wanted ? weight > 0 : weight <= 0) return favoriteOnly(request, voter, post, existing, landedMark, { ...flags, favoriteRefusal: null });
  const decision = decideWeight(request, wanted ? 10000 : 0, voter, post, votedRecord(existing));
  if (!decision.ok) return favoriteOnly(request, voter, post, existing, landedMark, { ...flags, favoriteRefusal: decision.code });
  return accepted(request, decision, voter, post, votedRecord(existing), landedMark, { ...flags, favoriteRefusal: null });
}

function decideWeight(request: VoteRequest, weight: number, voter: UserState, post: PostState, existing: ExistingVote | undefined) {
  const { policy } = request;
  const now = unix(request.now);
  const stake = stakeOf(voter, policy);
  return decideVote({
    weight,
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
}

type FavoriteFlags = Required<Pick<PendingVote, 'favorite' | 'oldFavorite' | 'favoriteRefusal'>>;

/** The voter's guarded charge: the pending operation, and what else moves on the voter (mana, last vote time). */
function chargeOf(request: VoteRequest, voter: UserState, landedMark: string | null, op: PendingVote, set: Record<string, unknown>): AnyBulkWriteOperation {
  return {
    updateOne: {
      filter: { _id: request.voter, voteSeq: voter.voteSeq, ...(landedMark === null ? { pendingVote: null } : { 'pendingVote.id': landedMark }) },
      update: touched({ $set: { ...set, pendingVote: op }, $inc: { voteSeq: 1 } }, new Date()),
    },
  };
}

function accepted(request: VoteRequest, decision: AcceptedVote, voter: UserState, post: PostState, existing: ExistingVote | undefined, landedMark: string | null, flags: FavoriteFlags): Decided {
  const now = unix(request.now);
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
    ...flags,
  };
  const charge = chargeOf(request, voter, landedMark, op, {
    votingMana: { current: decision.votingManabar.currentMana.toString(), lastUpdate: decision.votingManabar.lastUpdateTime },
    downvoteMana: { current: decision.downvoteManabar.currentMana.toString(), lastUpdate: decision.downvoteManabar.lastUpdateTime },
    lastVoteTime: decision.lastVoteTime,
  });
  return { op, charge };
}

/**
 * A favorite (or unfavorite) recorded without a vote: it goes through the voter's guarded charge
 * (no mana, the last vote time unchanged) and lands like a vote, so concurrent requests are ordered
 * and favoritesCount moves exactly once; the vote itself (weight, rshares, changes) stays as it is.
 */
function favoriteOnly(request: VoteRequest, voter: UserState, post: PostState, existing: ExistingVote | undefined, landedMark: string | null, flags: FavoriteFlags): Decided {
  const op: PendingVote = {
    id: randomUUID(),
    article: post._id.toString(),
    voter: request.voter.toString(),
    author: post.author.toString(),
    kind: 'favorite',
    weight: existing?.weight ?? 0,
    rshares: existing?.rshares ?? '0',
    changes: existing?.changes ?? 0,
    votedAt: unix(request.now),
    oldRshares: existing ? existing.rshares : null,
    oldWeight: existing?.weight ?? 0,
    oldCurationWeight: '0',
    eligibleForCuration: false,
    secondsSinceCreated: unix(request.now) - unix(post.createdAt),
    ...flags,
  };
  return { op, charge: chargeOf(request, voter, landedMark, op, {}) };
}

/**
 * Debits every voter's mana and records the pending vote, in the command that also clears the marks
 * of votes landed before; returns the ids of the votes charged.
 */
async function chargeVoters(decided: { op: PendingVote; charge: AnyBulkWriteOperation }[], landedMarks: { voter: string; id: string }[]): Promise<Set<string>> {
  const now = new Date();
  const clears = landedMarks.map((mark) => pendingMarkClear(mark, now));
  const result = await UserModel.collection.bulkWrite([...decided.map((entry) => entry.charge), ...clears], { ordered: false });
  if (result.modifiedCount === decided.length + clears.length) return new Set(decided.map((entry) => entry.op.id));
  // Some voter moved on meanwhile (another process): the charge that took is the one now pending.
  const voters = await readAll<{ pendingVote: { id: string } | null }>(UserModel.collection, { _id: { $in: decided.map((entry) => new Types.ObjectId(entry.op.voter)) } }, { 'pendingVote.id': 1 });
  const pending = new Set(voters.map((voter) => voter.pendingVote?.id));
  return new Set(decided.filter((entry) => pending.has(entry.op.id)).map((entry) => entry.op.id));
}

/**
 * Lands a batch of charged votes: post counters, vote records, authors' reputation, events and
 * notifications. Every write is one command for the batch and replays as a no-op; when a guarded
 * write lost a race, its votes go through the one-vote path. `reads` is what the batch read before it
 * charged the voters. The voters' pending marks stay for the caller to clear.
 */
export async function landVoteBatch(
  ops: PendingVote[],
  policy: RewardPolicy,
  reads: Pick<BatchReads, 'users' | 'posts' | 'mutes'>,
): Promise<{ posts: Map<string, StoredArticle>; authors: Map<string, ArticleAuthor> }> {
  const landPostsThenRecords = async () => {
    const { curation, postsAfter } = await landOnPosts(ops, policy, reads.posts);
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
    return postsAfter;
  };
  const votes = ops.filter(isVote);
  const [posts, authors] = await Promise.all([landPostsThenRecords(), countReputation(votes, reads.users), recordEventsAndNotify(votes, reads.mutes)]);
  return { posts, authors };
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

/**
 * Lands each post's votes with one guarded write per post, all in one command; returns each vote's
 * curation weight, and the counters of the posts the command left as it computed them. If a write
 * lost a race (a vote through another process, a settlement's claim), every vote of the batch goes
 * through the one-vote path, which skips what already landed and tells each vote's curation weight.
 */
async function landOnPosts(ops: PendingVote[], policy: RewardPolicy, posts: Map<string, PostState>): Promise<{ curation: Map<string, bigint>; postsAfter: Map<string, StoredArticle> }> {
  const curation = new Map<string, bigint>();
  const postsAfter = new Map<string, StoredArticle>();
  const writes: { post: PostState; ops: PendingVote[]; write: ReturnType<typeof postTallyWrite>; tally: ReturnType<typeof tallyOn> }[] = [];
  // Claimed by a settlement: the votes count for nothing, the favorites still count.
  const closed: { post: PostState; ops: PendingVote[]; write: ReturnType<typeof closedPostWrite> }[] = [];
  for (const [postId, postOps] of groupBy(ops, (op) => op.article)) {
    const post = posts.get(postId)!;
    if (closedForVotes(post)) {
      closed.push({ post, ops: postOps, write: closedPostWrite(post, postOps) });
      continue;
    }
    const tally = tallyOn(post, postOps, policy);
    writes.push({ post, ops: postOps, write: postTallyWrite(post, tally), tally });
  }
  if (writes.length + closed.length === 0) return { curation, postsAfter };
  const now = new Date();
  const result = await ArticleModel.collection.bulkWrite(
    [...writes, ...closed].map(({ write }) => ({ updateOne: { filter: write.filter, update: touched(write.update, now) } })),
    { ordered: false },
  );
  if (result.modifiedCount === writes.length + closed.length) {
    for (const w of writes) {
      for (const c of w.tally.curation) curation.set(c.id, c.weight);
      postsAfter.set(w.post._id.toString(), { ...w.post, ...countersAfter(w.post, w.write.update, now) });
    }
    return { curation, postsAfter };
  }
  const landed = await Promise.all([...writes, ...closed].flatMap((w) => w.ops.map(async (op) => [op.id, await articleCommits.submit(op.article, { op, policy })] as const)));
  return { curation: new Map(landed), postsAfter };
}

/** What a landed tally write left on its post: the guard held, so the stored fields are these. */
function countersAfter(before: PostState, update: ReturnType<typeof postTallyWrite>['update'], now: Date): PostVoteCountersAfter {
  const { $set, $inc } = update;
  return {
    netRshares: $set.netRshares,
    absRshares: $set.absRshares,
    voteRshares: $set.voteRshares,
    totalVoteWeight: $set.totalVoteWeight,
    trendingScore: $set.trendingScore,
    hotScore: $set.hotScore,
    rankRshares: $set.rankRshares,
    voteSeq: before.voteSeq + $inc.voteSeq,
    favoritesCount: (before.favoritesCount ?? 0) + $inc.favoritesCount,
    upvotes: (before.upvotes ?? 0) + $inc.upvotes,
    downvotes: (before.downvotes ?? 0) + $inc.downvotes,
    updatedAt: now,
  };
}

/**
 * Moves each author's reputation with one write per author guarded by the reputationSeq the batch
 * read, all in one command. The batch's votes were charged after that read, so none of them can be
 * counted yet unless another process rolled one forward, which moved the seq: if a guard fails, or an
 * author was not read, those votes go through the one-vote path, which skips what is counted. Returns
 * the authors the command left as it computed them.
 */
async function countReputation(ops: PendingVote[], users: Map<string, UserState>): Promise<Map<string, ArticleAuthor>> {
  const unread: PendingVote[] = [];
  const plans: { author: UserState; ops: PendingVote[]; reputation: bigint; changes: { op: PendingVote; delta: bigint }[] }[] = [];
  for (const [authorId, authorOps] of groupBy(ops, (op) => op.author)) {
    const author = users.get(authorId);
    if (!author) unread.push(...authorOps);
    else plans.push({ author, ops: authorOps, ...reputationAfter(authorId, BigInt(author.reputation ?? '0'), authorOps, (voter) => BigInt(users.get(voter)?.reputation ?? '0')) });
  }
  let lost = unread;
  if (plans.length > 0) {
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
    if (result.modifiedCount < plans.length) lost = [...lost, ...plans.flatMap((plan) => plan.ops)];
  }
  await Promise.all(lost.map((op) => reputationCommits.submit(op.author, op)));
  if (lost.length > 0) return new Map();
  return new Map(plans.map(({ author, reputation }) => [author._id.toString(), profileOf(author, reputation)]));
}

function profileOf(author: UserState, reputation: bigint): ArticleAuthor {
  return { _id: author._id, username: author.username, bio: author.bio, image: author.image, steemAccount: author.steemAccount, reputation: reputation.toString() };
}

/** The batch's `vote.applied` events and the authors' notifications (muted voters and self-votes left out). */
async function recordEventsAndNotify(ops: PendingVote[], mutes: Set<string>): Promise<void> {
  if (ops.length === 0) return;
  const now = new Date();
  const delivered = ops
    .map(voteNotification)
    .filter((n): n is NotificationInput => n !== null && !n.actor!.equals(n.recipient) && !mutes.has(`${n.recipient}:${n.actor}`));
  await Promise.all([
    EventModel.collection.insertMany(ops.map((op) => inserted(voteEvent(op), now))),
    delivered.length === 0
      ? undefined
      : writeIgnoringDuplicates(() =>
          NotificationModel.collection.insertMany(
            delivered.map((n) => inserted({ ...n, data: n.data ?? {} }, now, { actor: null, article: null, commentId: null })),
            { ordered: false },
          ),
        ),
  ]);
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
