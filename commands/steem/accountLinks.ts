import { randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import { verifyAuthoritySignatures, type ChainClient } from '../../chain';
import { relinkRefusal, votingStateOnLink, votingStateOnUnlink, type StoredManabar } from '../../domain/votes';
import { StakeAccountModel } from '../../models/stakeAccount';
import { SteemLinkChallengeModel } from '../../models/steemLinkChallenge';
import { UserModel } from '../../models/user';
import { AppError, conflict, unauthorized, validationFailed } from '../../lib/errors';
import { isDuplicateKeyError } from '../duplicateKey';

export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

/** A single-use text to sign with a key of the Steem account being linked; valid for 5 minutes. */
export async function issueLinkChallenge(user: Types.ObjectId, username: string, now: Date): Promise<{ challenge: string; expiresAt: Date }> {
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
  const challenge = `inkwell:link-steem-account:${username}:${randomBytes(16).toString('hex')}:${expiresAt.toISOString()}`;
  await SteemLinkChallengeModel.create({ user, challenge, expiresAt });
  return { challenge, expiresAt };
}

/** The fields of a user that linking and unlinking read and move. */
const LINK_FIELDS = { steemAccount: 1, votingMana: 1, downvoteMana: 1, lastVoteTime: 1, voteSeq: 1, baseMana: 1, stakeAccountSeq: 1, steemUnlinkedAccount: 1, steemUnlinkedAt: 1 } as const;
const ATTEMPTS = 5;

type LinkUser = {
  _id: Types.ObjectId;
  steemAccount: string | null;
  votingMana?: StoredManabar | null;
  downvoteMana?: StoredManabar | null;
  lastVoteTime?: number | null;
  voteSeq: number;
  baseMana?: { votingMana?: StoredManabar | null; downvoteMana?: StoredManabar | null } | null;
  stakeAccountSeq?: number | null;
  steemUnlinkedAccount?: string | null;
  steemUnlinkedAt?: Date | null;
};

const readLinkUser = async (user: Types.ObjectId) => (await UserModel.collection.findOne({ _id: user }, { projection: LINK_FIELDS })) as LinkUser | null;
const readStakeAccount = (account: string) => StakeAccountModel.findById(account).lean();
const taken = (account: string) => new AppError('conflict', { account: [`${account} is linked to another Inkwell user`] }, 'STEEM_ACCOUNT_TAKEN');

/**
 * Links a Steem account once the signatures over an unexpired, unused challenge of this user carry
 * enough weight in the account's posting (or active) authority. The challenge is consumed by one
 * guarded update, so it works once even under concurrent attempts. Refreshes the stake.
 *
 * Mana belongs to the account: the user's bars become the account's as its last user left them
 * (`stakeaccounts`), and the user's own base-stake bars are set aside until the unlink. A Steem account
 * is linked to one user at a time (the unique index on `users.steemAccount`; 409 STEEM_ACCOUNT_TAKEN),
 * a user links one account at a time (409 STEEM_ACCOUNT_LINKED: unlink first), and after an unlink
 * the account goes to another user, or the user to another account, only once the relink cooldown has
 * passed (422 STEEM_RELINK_COOLDOWN, naming when).
 */
export async function linkSteemAccount(props: {
  user: Types.ObjectId;
  account: string;
  challenge: string;
  signatures: string[];
  chain: ChainClient;
  now: Date;
  relinkCooldownSeconds: number;
}): Promise<{ account: string; stakeVests: bigint }> {
  const stored = await SteemLinkChallengeModel.findOne({ challenge: props.challenge, user: props.user }).lean();
  if (!stored) throw validationFailed('is not a challenge issued to you', 'challenge');
  if (stored.usedAt) throw validationFailed('has been used already; request a new one', 'challenge');
  if (stored.expiresAt.getTime() <= props.now.getTime()) throw validationFailed('has expired; request a new one', 'challenge');

  const account = await props.chain.getAccount(props.account);
  if (!account) throw validationFailed(`${props.account} does not exist on the Steem chain`, 'account');
  const posting = verifyAuthoritySignatures({ authority: account.posting, challenge: props.challenge, signatures: props.signatures, addressPrefix: props.chain.addressPrefix });
  const active = posting.ok ? posting : verifyAuthoritySignatures({ authority: account.active, challenge: props.challenge, signatures: props.signatures, addressPrefix: props.chain.addressPrefix });
  if (!active.ok) {
    const reason = posting.rejected ? `signature ${posting.rejected.index + 1} is ${posting.rejected.reason.replace('_', ' ')}` : `the signing keys carry weight ${posting.weight} of the ${posting.threshold} the posting authority needs`;
    throw validationFailed(`do not prove control of ${props.account}: ${reason}`, 'signature');
  }
  const stake = { stakeVests: account.effectiveVestingShares.toString(), stakeRefreshedAt: props.now };

  // The rules are checked before the challenge is spent, so a refused link can be retried with it.
  let [user, stakeAccount] = await Promise.all([readLinkUser(props.user), readStakeAccount(account.name)]);
  if (!user) throw unauthorized('token names a user that no longer exists', 'token');
  checkLinkRules(user, stakeAccount, account.name, props);
  if (user.steemAccount !== account.name && (await UserModel.exists({ steemAccount: account.name }))) throw taken(account.name);

  const claimed = await SteemLinkChallengeModel.updateOne({ _id: stored._id, usedAt: null }, { $set: { usedAt: props.now } });
  if (claimed.modifiedCount === 0) throw validationFailed('has been used already; request a new one', 'challenge');

  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (attempt > 0) {
      [user, stakeAccount] = await Promise.all([readLinkUser(props.user), readStakeAccount(account.name)]);
      if (!user) throw unauthorized('token names a user that no longer exists', 'token');
      checkLinkRules(user, stakeAccount, account.name, props);
    }
    if (user.steemAccount === account.name) {
      // Already linked: only the stake is refreshed; the bars are the account's already.
      await UserModel.updateOne({ _id: props.user, steemAccount: account.name }, { $set: stake });
      return { account: account.name, stakeVests: account.effectiveVestingShares };
    }
    const state = votingStateOnLink(
      { votingMana: user.votingMana ?? null, downvoteMana: user.downvoteMana ?? null, lastVoteTime: user.lastVoteTime ?? null },
      stakeAccount ? { votingMana: stakeAccount.votingMana ?? null, downvoteMana: stakeAccount.downvoteMana ?? null, lastVoteTime: stakeAccount.lastVoteTime ?? null } : null,
    );
    const seq = stakeAccount?.seq ?? 0;
    let linked;
    try {
      // Guarded by voteSeq: a vote charged meanwhile is re-decided against the account's bars (the
      // batch's own guard fails on the moved voteSeq), and the bars set aside include its charge.
      linked = await UserModel.updateOne(
        { _id: props.user, steemAccount: null, voteSeq: user.voteSeq },
        { $set: { steemAccount: account.name, ...stake, ...state, stakeAccountSeq: seq }, $inc: { voteSeq: 1 } },
      );
    } catch (error) {
      if (isDuplicateKeyError(error)) throw taken(account.name);
      throw error;
    }
    if (linked.modifiedCount === 0) continue;
    // An unlink writes the account's bars before it frees the account, so any release that let this
    // link through is visible now; if one landed after the read above, the bars taken are stale.
    const after = await readStakeAccount(account.name);
    if ((after?.seq ?? 0) !== seq) {
      await UserModel.updateOne(
        { _id: props.user, steemAccount: account.name, voteSeq: user.voteSeq + 1 },
        { $set: { steemAccount: null, stakeVests: null, stakeRefreshedAt: null, votingMana: state.baseMana.votingMana, downvoteMana: state.baseMana.downvoteMana, baseMana: null, stakeAccountSeq: null }, $inc: { voteSeq: 1 } },
      );
      throw conflict(`${account.name} changed hands while linking; try again`, 'account');
    }
    return { account: account.name, stakeVests: account.effectiveVestingShares };
  }
  throw conflict('too many concurrent votes while linking; try again', 'account');
}

function checkLinkRules(
  user: LinkUser,
  stakeAccount: { unlinkedAt?: Date | null; unlinkedBy?: Types.ObjectId | null } | null,
  account: string,
  props: { now: Date; relinkCooldownSeconds: number },
): void {
  if (user.steemAccount === account) return;
  if (user.steemAccount) {
    throw new AppError('conflict', { account: [`you have ${user.steemAccount} linked; unlink it first`] }, 'STEEM_ACCOUNT_LINKED');
  }
  const refusal = relinkRefusal({
    account,
    user: user._id.toString(),
    now: props.now.getTime(),
    cooldownSeconds: props.relinkCooldownSeconds,
    accountUnlinked: stakeAccount?.unlinkedAt && stakeAccount.unlinkedBy ? { at: stakeAccount.unlinkedAt.getTime(), by: stakeAccount.unlinkedBy.toString() } : null,
    userUnlinked: user.steemUnlinkedAt && user.steemUnlinkedAccount ? { at: user.steemUnlinkedAt.getTime(), account: user.steemUnlinkedAccount } : null,
  });
  if (refusal) throw new AppError('validation', { account: [refusal.message] }, refusal.code);
}

/**
 * Unlinks the user's Steem account. The account's bars (the user's, while linked) are written to
 * `stakeaccounts` first, then the user is unlinked by an update guarded by the voteSeq those bars were
 * read at, so the account is never free with bars older than its last vote; a vote meanwhile makes it
 * start over. The user gets their own base-stake bars back. Unlinking twice changes nothing.
 */
export async function unlinkSteemAccount(userId: Types.ObjectId, now: Date = new Date()): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const user = await readLinkUser(userId);
    if (!user?.steemAccount) return;
    const account = user.steemAccount;
    const state = votingStateOnUnlink({ votingMana: user.votingMana ?? null, downvoteMana: user.downvoteMana ?? null, lastVoteTime: user.lastVoteTime ?? null, baseMana: user.baseMana ?? null });
    try {
      // Never replaces bars this user's later state wrote (a concurrent unlink that read after a vote).
      await StakeAccountModel.updateOne(
        { _id: account, $nor: [{ unlinkedBy: userId, fromVoteSeq: { $gt: user.voteSeq } }] },
        { $set: { ...state.account, unlinkedAt: now, unlinkedBy: userId, fromVoteSeq: user.voteSeq }, $inc: { seq: 1 } },
        { upsert: true },
      );
    } catch (error) {
      if (isDuplicateKeyError(error)) continue;
      throw error;
    }
    const unlinked = await UserModel.updateOne(
      { _id: userId, steemAccount: account, voteSeq: user.voteSeq },
      {
        $set: { steemAccount: null, stakeVests: null, stakeRefreshedAt: null, ...state.user, baseMana: null, stakeAccountSeq: null, steemUnlinkedAccount: account, steemUnlinkedAt: now },
        $inc: { voteSeq: 1 },
      },
    );
    if (unlinked.modifiedCount === 1) return;
  }
  throw conflict('too many concurrent votes while unlinking; try again', 'account');
}

/** Re-reads the stake of linked accounts not refreshed since `olderThan`, a page at a time. */
export async function refreshStakes(chain: ChainClient, olderThan: Date, now: Date, limit = 100): Promise<number> {
  const users = await UserModel.find({ steemAccount: { $type: 'string' }, $or: [{ stakeRefreshedAt: null }, { stakeRefreshedAt: { $lt: olderThan } }] }, { steemAccount: 1 })
    .limit(limit)
    .lean();
  if (users.length === 0) return 0;
  const accounts = new Map((await chain.getAccounts(users.map((u) => u.steemAccount!))).map((a) => [a.name, a]));
  for (const user of users) {
    const account = accounts.get(user.steemAccount!);
    await UserModel.updateOne(
      { _id: user._id, steemAccount: user.steemAccount },
      { $set: { stakeVests: account ? account.effectiveVestingShares.toString() : '0', stakeRefreshedAt: now } },
    );
  }
  return users.length;
}
