import { LeaseModel } from '../../models/lease';
import { isDuplicateKeyError } from '../duplicateKey';

/**
 * Takes or renews the lease `name` for `owner` until `now + ttlMs`. True when `owner` holds it:
 * free, lapsed, or already its own. Another holder's live lease makes the upsert collide on `_id`.
 */
export async function acquireLease(name: string, owner: string, now: Date, ttlMs: number): Promise<boolean> {
  try {
    const lease = await LeaseModel.findOneAndUpdate(
      { _id: name, $or: [{ owner }, { until: { $lte: now } }] },
      { $set: { owner, until: new Date(now.getTime() + ttlMs) } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    return lease?.owner === owner;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

export async function releaseLease(name: string, owner: string): Promise<void> {
  await LeaseModel.deleteOne({ _id: name, owner });
}
