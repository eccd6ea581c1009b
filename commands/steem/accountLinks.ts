import { randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import { verifyAuthoritySignatures, type ChainClient } from '../../chain';
import { SteemLinkChallengeModel } from '../../models/steemLinkChallenge';
import { UserModel } from '../../models/user';
import { validationFailed } from '../../server/errors';
import { isDuplicateKeyError } from '../duplicateKey';

export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

/** A single-use text to sign with a key of the Steem account being linked; valid for 5 minutes. */
export async function issueLinkChallenge(user: Types.ObjectId, username: string, now: Date): Promise<{ challenge: string; expiresAt: Date }> {
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
  const challenge = `inkwell:link-steem-account:${username}:${randomBytes(16).toString('hex')}:${expiresAt.toISOString()}`;
  await SteemLinkChallengeModel.create({ user, challenge, expiresAt });
  return { challenge, expiresAt };
}

/**
 * Links a Steem account once the signatures over an unexpired, unused challenge of this user carry
 * enough weight in the account's posting (or active) authority. The challenge is consumed by one
 * guarded update, so it works once even under concurrent attempts. Refreshes the stake.
 */
export async function linkSteemAccount(props: {
  user: Types.ObjectId;
  account: string;
  challenge: string;
  signatures: string[];
  chain: ChainClient;
  now: Date;
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

  const claimed = await SteemLinkChallengeModel.updateOne({ _id: stored._id, usedAt: null }, { $set: { usedAt: props.now } });
  if (claimed.modifiedCount === 0) throw validationFailed('has been used already; request a new one', 'challenge');
  try {
    await UserModel.updateOne(
      { _id: props.user },
      { $set: { steemAccount: account.name, stakeVests: account.effectiveVestingShares.toString(), stakeRefreshedAt: props.now } },
    );
  } catch (error) {
    if (isDuplicateKeyError(error)) throw validationFailed(`${account.name} is linked to another Inkwell user`, 'account');
    throw error;
  }
  return { account: account.name, stakeVests: account.effectiveVestingShares };
}

export async function unlinkSteemAccount(user: Types.ObjectId): Promise<void> {
  await UserModel.updateOne({ _id: user }, { $set: { steemAccount: null, stakeVests: null, stakeRefreshedAt: null } });
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
