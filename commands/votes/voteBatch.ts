import { advanceFund } from '../../domain/rewards';
import { sessionIsCurrent, SESSION_ENDED } from '../../lib/auth/sessions';
import { AppError, notFound, unauthorized } from '../../lib/errors';
import { loadFund } from '../rewards/fund';
import { chargeVoters, type ToCharge } from './charge';
import { decide } from './decide';
import { landVoteBatch } from './land';
import type { AppliedMarks } from './pendingMarks';
import { applyPendingVote } from './pendingVote';
import { isCommentItem, readBatch, voteKey, type BatchReads, type PostState, type UserState } from './reads';
import { unix, type PendingVote } from './voteOp';
import { ArticleMovedFromSlug, type VoteOutcome, type VoteRequest } from './voteRequest';

/*
 * One vote batch, stage by stage: read (reads.ts), decide (decide.ts), charge the voters (charge.ts),
 * land the votes (land.ts, landAuthors.ts), answer. The queue that forms batches and retries their
 * lost races is queue.ts; the pending marks of landed votes, pendingMarks.ts.
 */

/** A request waiting in the queue for its batch. */
export interface Waiting {
  request: VoteRequest;
  resolve: (result: VoteOutcome) => void;
  reject: (error: unknown) => void;
  attempts: number;
}

type Charging = ToCharge & { waiting: Waiting };

/**
 * Decides, charges and lands one batch (each voter once). Settles every request it can (resolved,
 * or rejected with the rule it breaks) and returns those to try again: a voter whose earlier vote was
 * still pending, or who voted through another process meanwhile.
 */
export async function decideChargeAndLand(batch: Waiting[], marks: AppliedMarks): Promise<Waiting[]> {
  const { policy, now } = batch[0]!.request;
  const [reads, fund] = await Promise.all([readBatch(batch.map((w) => w.request)), loadFund(policy, unix(now))]);
  const retry: Waiting[] = [];
  const rollForward: PendingVote[] = [];
  const decided: Charging[] = [];
  for (const waiting of batch) {
    const { request } = waiting;
    const admission = admit(request, reads, marks);
    if (admission.kind === 'refused') {
      waiting.reject(admission.error);
    } else if (admission.kind === 'pending') {
      rollForward.push(admission.op);
      retry.push(waiting);
    } else {
      const { voter, post } = admission;
      const outcome = decide(request, voter, post, reads.existing.get(voteKey(request.article, request.voter)));
      if (outcome instanceof AppError) waiting.reject(outcome);
      else if ('unchanged' in outcome) waiting.resolve(outcome);
      else decided.push({ waiting, ...outcome, voter, landedMark: voter.pendingVote?.id ?? null });
    }
  }
  // A vote left pending (by a crash, or another process mid-vote) is finished before the voter's next.
  await Promise.all(rollForward.map((op) => applyPendingVote(op, policy)));
  if (decided.length === 0) return retry;

  const charged = await chargeVoters(decided, marks.take(new Set(decided.map((entry) => entry.op.voter))));
  for (const entry of decided) if (!charged.has(entry.op.id)) retry.push(entry.waiting);
  const landing = decided.filter((entry) => charged.has(entry.op.id));
  if (landing.length === 0) return retry;
  const ops = landing.map((entry) => entry.op);
  const after = await landVoteBatch(ops, policy, reads);
  marks.add(ops);
  for (const { waiting, op } of landing) {
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
  return retry;
}

type Admission =
  | { kind: 'decide'; voter: UserState; post: PostState }
  /** The voter's earlier vote is still pending (not one this process landed): roll it forward, then retry. */
  | { kind: 'pending'; op: PendingVote }
  | { kind: 'refused'; error: Error };

/** Whether a request can be decided now, against the voter and post as the batch read them. */
function admit(request: VoteRequest, reads: BatchReads, marks: AppliedMarks): Admission {
  const voter = reads.users.get(request.voter.toString());
  const post = reads.posts.get(request.article.toString());
  if (!voter) return { kind: 'refused', error: unauthorized('token names a user that no longer exists', 'token') };
  if (request.session && !sessionIsCurrent(voter, request.session)) return { kind: 'refused', error: unauthorized(SESSION_ENDED, 'token') };
  if (voter.pendingVote && !marks.landed(request.voter, voter.pendingVote.id)) return { kind: 'pending', op: voter.pendingVote };
  if (request.rememberedSlug !== undefined && (!post || isCommentItem(post) || post.slug !== request.rememberedSlug)) return { kind: 'refused', error: new ArticleMovedFromSlug() };
  if (!post) return { kind: 'refused', error: request.comment ? notFound('comment not found', 'comment') : notFound('article not found', 'article') };
  return { kind: 'decide', voter, post };
}
