import type { RewardPolicy } from '../../domain/rewards';
import { EventModel } from '../../models/event';
import { UserModel } from '../../models/user';
import { VoteModel } from '../../models/vote';
import { isDuplicateKeyError } from '../duplicateKey';
import { notify } from '../notifications/notify';
import { postCommits, reputationCommits } from './groupCommitters';
import { isVote, type PendingVote } from './voteOp';
import { voteEvent, voteNotification, voteRecordWrite } from './voteWrites';

/*
 * The one-vote path: a charged vote found pending on its voter (left by a crash, or by another
 * process mid-vote) is rolled forward step by step. The vote batch lands many votes at once instead
 * (land.ts); both write the same documents.
 */

export type { PendingVote } from './voteOp';

/** Applies one charged vote everywhere it counts; every step is a no-op when replayed. */
export async function applyPendingVote(op: PendingVote, policy: RewardPolicy): Promise<void> {
  const curation = await postCommits.submit(op.article, { op, policy });
  await writeVoteRecord(op, curation);
  if (isVote(op)) {
    await reputationCommits.submit(op.author, op);
    // Event and notification before the pending marker goes: a replay may repeat the event (its
    // processors are idempotent) and the notification's dedupe key makes it once.
    await EventModel.create(voteEvent(op));
    const notification = voteNotification(op);
    if (notification) await notify(notification);
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

async function writeVoteRecord(op: PendingVote, curation: bigint): Promise<void> {
  const { filter, update } = voteRecordWrite(op, curation);
  try {
    await VoteModel.updateOne(filter, update, { upsert: true });
  } catch (error) {
    // The unique (article, voter) index: the record exists and already carries this operation.
    if (!isDuplicateKeyError(error)) throw error;
  }
}
