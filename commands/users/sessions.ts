import { Types } from 'mongoose';
import { UserModel } from '../../models/user';
import type { TokenSession } from '../../lib/auth/tokens';

/** Revoked token ids kept on an account at most; past this a logout ends all of the account's sessions. */
const REVOKED_KEPT = 100;
/** A revoked token's id is kept this long past its expiry, for processes whose clocks run behind. */
const CLOCK_SKEW_SECONDS = 300;

/**
 * Ends the session a token belongs to (logout). The token's id is listed on the account until the
 * token would have expired, so every process refuses it from the next request on (the list is read
 * with the user). A token without an id (issued before tokens had one), or a list grown past
 * REVOKED_KEPT, ends all of the account's sessions instead by moving its session epoch on. A session
 * already ended changes nothing. `nowSeconds` is read from the clock token expiry is judged by.
 */
export async function endSession(userId: Types.ObjectId, session: TokenSession, nowSeconds: number): Promise<void> {
  const inEpoch = { _id: userId, sessionEpoch: session.epoch === 0 ? { $in: [0, null] } : session.epoch };
  if (!session.jti) {
    await endAllSessions(inEpoch);
    return;
  }
  const after = await UserModel.findOneAndUpdate(
    { ...inEpoch, 'revokedSessions.jti': { $ne: session.jti } },
    { $push: { revokedSessions: { jti: session.jti, exp: session.expiresAt } } },
    { returnDocument: 'after', projection: { revokedSessions: 1, sessionEpoch: 1 } },
  ).lean();
  if (!after) return;
  const seconds = nowSeconds - CLOCK_SKEW_SECONDS;
  const revoked = after.revokedSessions ?? [];
  if (revoked.some((entry) => entry.exp <= seconds)) {
    // Tokens past their expiry are refused anyway: their entries are dropped.
    await UserModel.updateOne({ _id: userId }, { $pull: { revokedSessions: { exp: { $lte: seconds } } } });
  }
  if (revoked.filter((entry) => entry.exp > seconds).length > REVOKED_KEPT) await endAllSessions({ _id: userId, sessionEpoch: after.sessionEpoch });
}

/** Ends every session of the account matched (its tokens are refused from the next request on). */
async function endAllSessions(filter: Record<string, unknown>): Promise<void> {
  await UserModel.updateOne(filter, { $inc: { sessionEpoch: 1 }, $set: { revokedSessions: [] } });
}
