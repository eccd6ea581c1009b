import type { AnyBulkWriteOperation } from 'mongodb';
import { Types } from 'mongoose';
import { UserModel } from '../../models/user';
import type { Decided } from './decide';
import { touched } from './driverWrites';
import { pendingMarkClear, type PendingMark } from './pendingMarks';
import type { UserState } from './reads';

/** A decided request with the voter's pending mark it replaces (of a vote this process landed), if any. */
export interface ToCharge extends Decided {
  voter: Pick<UserState, '_id' | 'voteSeq'>;
  landedMark: string | null;
}

/**
 * The voter's guarded charge: records the pending operation and moves what else the decision moved
 * (mana, last vote time), only if the voter is as the batch read them (voteSeq, and no pending vote
 * but the landed one this charge replaces).
 */
export function chargeWrite(entry: ToCharge, now: Date): AnyBulkWriteOperation {
  const { voter, landedMark, op, voterFields } = entry;
  return {
    updateOne: {
      filter: { _id: voter._id, voteSeq: voter.voteSeq, ...(landedMark === null ? { pendingVote: null } : { 'pendingVote.id': landedMark }) },
      update: touched({ $set: { ...voterFields, pendingVote: op }, $inc: { voteSeq: 1 } }, now),
    },
  };
}

/**
 * Debits every voter's mana and records the pending vote, in the command that also clears the marks
 * of votes landed before; returns the ids of the votes charged.
 */
export async function chargeVoters(decided: ToCharge[], landedMarks: PendingMark[]): Promise<Set<string>> {
  const now = new Date();
  const writes = [...decided.map((entry) => chargeWrite(entry, now)), ...landedMarks.map((mark) => pendingMarkClear(mark, now))];
  const result = await UserModel.collection.bulkWrite(writes, { ordered: false });
  if (result.modifiedCount === writes.length) return new Set(decided.map((entry) => entry.op.id));
  // Some voter moved on meanwhile (another process): the charge that took is the one now pending.
  const voters = await UserModel.collection
    .find({ _id: { $in: decided.map((entry) => new Types.ObjectId(entry.op.voter)) } }, { projection: { 'pendingVote.id': 1 } })
    .toArray();
  const pending = new Set(voters.map((voter) => (voter.pendingVote as { id: string } | null)?.id));
  return new Set(decided.filter((entry) => pending.has(entry.op.id)).map((entry) => entry.op.id));
}
