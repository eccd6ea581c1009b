import type { AnyBulkWriteOperation } from 'mongodb';
import { Types } from 'mongoose';
import { UserModel } from '../../models/user';
import { touched } from './driverWrites';
import type { PendingVote } from './voteOp';

export interface PendingMark {
  voter: string;
  id: string;
}

/**
 * The pending marks of votes this process has landed, not yet cleared. Clearing them is one more
 * update per voter; the next batch's charge command carries those updates (a voter voting again has
 * the mark replaced by the charge itself), so a busy process spends no command or round trip on
 * them, and an idle one clears them at once. A mark left behind (a crash, a failed write) is only a
 * landed vote that its voter's next vote, or the stale-vote sweep, rolls forward again as a no-op.
 */
export class AppliedMarks {
  private readonly byVoter = new Map<string, string>();

  add(ops: PendingVote[]): void {
    for (const op of ops) this.byVoter.set(op.voter, op.id);
  }

  /** Whether this voter's pending vote is one this process landed. */
  landed(voter: Types.ObjectId, opId: string): boolean {
    return this.byVoter.get(voter.toString()) === opId;
  }

  /** Every mark, except those of voters whose charge replaces it; forgets them all. */
  take(replacedFor: Set<string>): PendingMark[] {
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

/** The write clearing one landed vote's mark (a no-op once the voter's pending vote is another). */
export function pendingMarkClear(mark: PendingMark, now: Date): AnyBulkWriteOperation {
  return { updateOne: { filter: { _id: new Types.ObjectId(mark.voter), 'pendingVote.id': mark.id }, update: touched({ $set: { pendingVote: null } }, now) } };
}

/** Clears the pending marks of landed votes, in one command (what the batcher's next charge, or its flush, does). */
export async function clearPendingMarks(marks: PendingMark[]): Promise<void> {
  const now = new Date();
  await UserModel.collection.bulkWrite(marks.map((mark) => pendingMarkClear(mark, now)), { ordered: false });
}
