import type { TokenSession } from './tokens';

/**
 * A user's session state as stored on the account (and read with it by every authenticated request
 * and by the vote batch): tokens of an earlier epoch are ended (a password change moves the epoch
 * on), and a logout adds the token's id to `revokedSessions` until the token would have expired.
 */
export interface SessionState {
  sessionEpoch?: number | null;
  revokedSessions?: readonly { jti?: string | null; exp?: number | null }[] | null;
}

export const SESSION_ENDED = 'session has ended (logged out or password changed): log in again';

/** Whether a token's session is still current for the user it names. */
export function sessionIsCurrent(user: SessionState, session: Pick<TokenSession, 'epoch' | 'jti'>): boolean {
  if ((user.sessionEpoch ?? 0) !== session.epoch) return false;
  return !session.jti || !(user.revokedSessions ?? []).some((revoked) => revoked.jti === session.jti);
}
