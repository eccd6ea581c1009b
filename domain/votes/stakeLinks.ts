/**
 * Rules for moving a Steem account's stake between Inkwell users (pure; the commands in
 * commands/steem/accountLinks.ts do the I/O). Stake is what gives a vote economic weight, and mana is
 * what rations it, so mana belongs to the Steem account: linking an account to a user starts from the
 * mana the account was left with (regenerating meanwhile, as on Steem), never from a full bar, and a
 * cooldown after each unlink keeps one account from being passed around users.
 */

/** A stored manabar: VESTS satoshis as a decimal string (null: never used, a full bar) and unix seconds. */
export interface StoredManabar {
  current?: string | null;
  lastUpdate: number;
}

/** What a voter's document holds about voting, as the vote path reads and charges it. */
export interface VotingState {
  votingMana: StoredManabar | null;
  downvoteMana: StoredManabar | null;
  lastVoteTime: number | null;
}

export type LinkRefusalCode = 'STEEM_RELINK_COOLDOWN';

export interface LinkRefusal {
  code: LinkRefusalCode;
  message: string;
  /** Milliseconds since the epoch from which the link is allowed. */
  allowedAt: number;
}

export interface LinkAttempt {
  account: string;
  user: string;
  /** Milliseconds since the epoch. */
  now: number;
  cooldownSeconds: number;
  /** The account's last unlink (milliseconds, user id), or null if it was never unlinked. */
  accountUnlinked: { at: number; by: string } | null;
  /** The user's last unlink (milliseconds, account name), or null if they never unlinked. */
  userUnlinked: { at: number; account: string } | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Whether a link must wait for the relink cooldown: an account unlinked from one user goes to another
 * user only `cooldownSeconds` after the unlink, and a user who unlinked an account links a different
 * one only `cooldownSeconds` after that unlink. Relinking the same account to the same user moves no
 * stake and is always allowed. When both rules apply, the later date is the one reported.
 */
export function relinkRefusal(attempt: LinkAttempt): LinkRefusal | null {
  const cooldownMs = attempt.cooldownSeconds * 1000;
  const refusals: LinkRefusal[] = [];
  const { accountUnlinked, userUnlinked } = attempt;
  if (accountUnlinked && accountUnlinked.by !== attempt.user && attempt.now < accountUnlinked.at + cooldownMs) {
    const allowedAt = accountUnlinked.at + cooldownMs;
    refusals.push({
      code: 'STEEM_RELINK_COOLDOWN',
      message: `${attempt.account} was unlinked from another Inkwell user at ${iso(accountUnlinked.at)}; it can be linked to another user from ${iso(allowedAt)}`,
      allowedAt,
    });
  }
  if (userUnlinked && userUnlinked.account !== attempt.account && attempt.now < userUnlinked.at + cooldownMs) {
    const allowedAt = userUnlinked.at + cooldownMs;
    refusals.push({
      code: 'STEEM_RELINK_COOLDOWN',
      message: `you unlinked ${userUnlinked.account} at ${iso(userUnlinked.at)}; you can link another Steem account from ${iso(allowedAt)} (relinking ${userUnlinked.account} is allowed now)`,
      allowedAt,
    });
  }
  if (refusals.length === 0) return null;
  return refusals.reduce((later, refusal) => (refusal.allowedAt > later.allowedAt ? refusal : later));
}

const FULL_BAR: StoredManabar = { current: null, lastUpdate: 0 };

/**
 * A user's voting state once an account is linked: the account's bars (full if Inkwell never saw it
 * vote), the user's own base-stake bars set aside, and the later of the two last-vote times (the
 * 3-second rule holds for the user and for the account).
 */
export function votingStateOnLink(user: VotingState, account: VotingState | null): VotingState & { baseMana: { votingMana: StoredManabar; downvoteMana: StoredManabar } } {
  return {
    votingMana: account?.votingMana ?? FULL_BAR,
    downvoteMana: account?.downvoteMana ?? FULL_BAR,
    lastVoteTime: laterTime(user.lastVoteTime, account?.lastVoteTime ?? null),
    baseMana: { votingMana: user.votingMana ?? FULL_BAR, downvoteMana: user.downvoteMana ?? FULL_BAR },
  };
}

/**
 * On unlink: what the account keeps (the user's bars are the account's while linked) and what the user
 * gets back (their own base-stake bars as set aside on link; full if never set aside). The user's
 * last-vote time stays theirs too.
 */
export function votingStateOnUnlink(
  user: VotingState & { baseMana?: { votingMana?: StoredManabar | null; downvoteMana?: StoredManabar | null } | null },
): { account: VotingState; user: { votingMana: StoredManabar; downvoteMana: StoredManabar } } {
  return {
    account: { votingMana: user.votingMana ?? FULL_BAR, downvoteMana: user.downvoteMana ?? FULL_BAR, lastVoteTime: user.lastVoteTime },
    user: { votingMana: user.baseMana?.votingMana ?? FULL_BAR, downvoteMana: user.baseMana?.downvoteMana ?? FULL_BAR },
  };
}

function laterTime(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
