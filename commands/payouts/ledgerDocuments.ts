/**
 * The ledger documents of one settlement batch, built from the reward math's result: a settlement
 * per post (its inputs and every recipient's entry, the receipt's source) and a payment per
 * recipient (their shares across the batch's posts, paid by one transfer). Written `prepared` and
 * made visible when the batch commits (docs/payouts.md, "Ledger"). No I/O.
 */
import { Types } from 'mongoose';
import { groupPayments, type GroupedPayment, type ShareInput } from '../../domain/payouts';
import type { BatchSettlement } from '../../domain/rewards';

export interface RecipientUser {
  _id: Types.ObjectId;
  username: string;
  steemAccount?: string | null;
}

/** Who a ledger entry pays: an Inkwell user (keyed by id) or, for a beneficiary without one, a Steem account. */
export interface Recipient {
  key: string;
  user: Types.ObjectId | null;
  username: string | null;
  steemAccount: string | null;
}

export interface LedgerEntryDocument {
  role: string;
  user: Types.ObjectId | null;
  username: string | null;
  steemAccount: string | null;
  liquid: string;
  power: string;
}

export interface LedgerContext {
  batchId: string;
  /** Settled posts' slugs, by post id (a comment's: its article's). */
  slugs: ReadonlyMap<string, string>;
  /** The settled comments (post items that are comments), by post id: the comment's integer id and its article. */
  comments?: ReadonlyMap<string, { id: number; article: Types.ObjectId }>;
  /** Authors and voters, by user id. */
  usersById: ReadonlyMap<string, RecipientUser>;
  /** Users whose linked Steem account a beneficiary names, by account. */
  usersByAccount: ReadonlyMap<string, RecipientUser>;
  writtenAt: Date;
}

const unixToDate = (seconds: number) => new Date(seconds * 1000);

/** Resolves a ledger entry's recipient (a user id for authors and curators, an account for beneficiaries). */
export function resolveRecipient(context: Pick<LedgerContext, 'usersById' | 'usersByAccount'>, role: string, recipient: string): Recipient {
  const user = role === 'beneficiary' ? context.usersByAccount.get(recipient) : context.usersById.get(recipient);
  if (user) return { key: `u:${user._id.toString()}`, user: user._id, username: user.username, steemAccount: user.steemAccount ?? null };
  if (role === 'beneficiary') return { key: `@${recipient}`, user: null, username: null, steemAccount: recipient };
  // An author or voter whose user record is gone: kept, unclaimed, under the id.
  return { key: `u:${recipient}`, user: new Types.ObjectId(recipient), username: null, steemAccount: null };
}

export type SettlementDocument = ReturnType<typeof settlementDocument>;
export type PaymentDocument = ReturnType<typeof paymentDocument>;

/** The batch's settlements and payments, every amount as a decimal string. */
export function buildLedgerDocuments(result: BatchSettlement, context: LedgerContext): { settlements: SettlementDocument[]; payments: PaymentDocument[] } {
  const settlementIds = new Map(result.settlements.map((s) => [s.postId, new Types.ObjectId()]));
  const recipients = new Map<string, Recipient>();
  const shares: ShareInput[] = [];
  const settlements = result.settlements.map((s) => {
    const entries = s.entries.map((entry): LedgerEntryDocument => {
      const recipient = resolveRecipient(context, entry.role, entry.recipient);
      recipients.set(recipient.key, recipient);
      shares.push({ recipient: recipient.key, postId: s.postId, role: entry.role, liquid: entry.liquid, power: entry.power });
      return { role: entry.role, user: recipient.user, username: recipient.username, steemAccount: recipient.steemAccount, liquid: entry.liquid.toString(), power: entry.power.toString() };
    });
    const comment = context.comments?.get(s.postId) ?? null;
    return settlementDocument(s, result, { id: settlementIds.get(s.postId)!, batch: context.batchId, slug: context.slugs.get(s.postId)!, comment, usersById: context.usersById, entries });
  });
  const payments = groupPayments(shares).map((payment) => paymentDocument(payment, recipients.get(payment.recipient)!, settlementIds, context));
  return { settlements, payments };
}

function settlementDocument(
  s: BatchSettlement['settlements'][number],
  result: BatchSettlement,
  extra: { id: Types.ObjectId; batch: string; slug: string; comment: { id: number; article: Types.ObjectId } | null; usersById: ReadonlyMap<string, RecipientUser>; entries: LedgerEntryDocument[] },
) {
  const post = s.inputs;
  return {
    _id: extra.id,
    article: new Types.ObjectId(s.postId),
    comment: extra.comment ? { id: extra.comment.id, article: extra.comment.article } : null,
    slug: extra.slug,
    author: new Types.ObjectId(s.author),
    batch: extra.batch,
    status: 'prepared',
    policyVersion: result.policyVersion,
    settledAt: unixToDate(result.settledAt),
    inputs: {
      netRshares: post.netRshares.toString(),
      totalVoteWeight: post.totalVoteWeight.toString(),
      maxAcceptedPayout: post.maxAcceptedPayout.toString(),
      percentLiquid: post.percentLiquid,
      allowCurationRewards: post.allowCurationRewards,
      declinePayout: post.declinePayout,
      beneficiaries: post.beneficiaries.map((b) => ({ account: b.account, weight: b.weight })),
      votes: post.votes.map((v) => ({
        user: new Types.ObjectId(v.voter),
        username: extra.usersById.get(v.voter)?.username ?? null,
        rshares: v.rshares.toString(),
        curationWeight: v.curationWeight.toString(),
      })),
    },
    fund: { rewardBalance: result.payoutBasis.rewardBalance.toString(), recentClaims: result.payoutBasis.recentClaims.toString() },
    claims: s.claims.toString(),
    outcome: s.outcome,
    uncappedPayout: s.uncappedPayout.toString(),
    payout: s.payout.toString(),
    curationTokens: s.curationTokens.toString(),
    authorTokens: s.authorTokens.toString(),
    returnedToFund: s.returnedToFund.toString(),
    distributed: s.distributed.toString(),
    entries: extra.entries,
  };
}

function paymentDocument(
  payment: GroupedPayment,
  recipient: Recipient,
  settlementIds: ReadonlyMap<string, Types.ObjectId>,
  context: Pick<LedgerContext, 'batchId' | 'slugs' | 'comments' | 'writtenAt'>,
) {
  return {
    key: `${context.batchId}:${payment.recipient}`,
    batch: context.batchId,
    user: recipient.user,
    username: recipient.username,
    steemAccount: recipient.steemAccount,
    liquid: payment.liquid.toString(),
    power: payment.power.toString(),
    shares: payment.shares.map((share) => ({
      settlement: settlementIds.get(share.postId),
      article: new Types.ObjectId(share.postId),
      ...(context.comments?.has(share.postId) ? { comment: context.comments.get(share.postId)!.id } : {}),
      slug: context.slugs.get(share.postId),
      role: share.role,
      liquid: share.liquid.toString(),
      power: share.power.toString(),
    })),
    status: 'prepared',
    transaction: null,
    txId: null,
    blockNum: null,
    heldReason: null,
    settledAt: null,
    createdAt: context.writtenAt,
    updatedAt: context.writtenAt,
  };
}

interface SettledEntry {
  role?: string | null;
  liquid?: string | null;
  power?: string | null;
}

/** The payout an article shows once settled: what left the fund, by role, and what went back. */
export function payoutSummary(settlement: { payout: string; returnedToFund: string; entries: readonly SettledEntry[]; settledAt: Date }) {
  const byRole = (role: string) =>
    settlement.entries.filter((e) => e.role === role).reduce((sum, e) => sum + BigInt(e.liquid ?? '0') + BigInt(e.power ?? '0'), 0n);
  return {
    total: (BigInt(settlement.payout) - BigInt(settlement.returnedToFund)).toString(),
    author: byRole('author').toString(),
    curators: byRole('curator').toString(),
    beneficiaries: byRole('beneficiary').toString(),
    returnedToFund: settlement.returnedToFund,
    settledAt: settlement.settledAt,
  };
}
