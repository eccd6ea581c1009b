/**
 * Paying the ledger on chain, exactly once (fact sheet §5.3–5.6).
 *
 * Queued payments are claimed into a transaction document (`building`), signed, and the signed
 * transaction with its locally computed id and expiration is stored (`signed`) before it is ever
 * broadcast. From then on the id is the truth: it is looked up after any doubt (timeout, dropped
 * response, failover, crash); while it has not expired the same signed bytes may be sent again
 * (steemd rejects a second copy as a duplicate); only once an irreversible block is past its
 * expiration without it are its payments released and signed anew under a new id. A payment is
 * settled when its transaction's block is irreversible.
 */
import type { Types } from 'mongoose';
import {
  DuplicateTransaction,
  InsufficientFunds,
  MissingAuthority,
  UnknownAccount,
  parseChainTime,
  type ChainClient,
  type SignedTransaction,
  type TreasuryKey,
} from '../../chain';
import { formatSteem } from '../../domain/money';
import { packTransactions, type PayablePayment } from '../../domain/payouts';
import { PaymentModel } from '../../models/payment';
import { PayoutTransactionModel } from '../../models/payoutTransaction';
import { UserModel } from '../../models/user';
import type { Logger } from '../../lib/logger';
import { pauseTransfers, resumeTransfers } from '../../commands/payouts/payoutState';
import { notifyPaymentsSettled } from './paymentNotifications';

export interface TransferSettings {
  maxOperations: number;
  maxBytes: number;
  expirationSeconds: number;
  leaseMs: number;
  /** Payments taken into new transactions per pass. */
  paymentsPerPass: number;
  /** Broadcasts in flight at once (each waits for its block). */
  concurrency: number;
}

export interface TransferContext {
  chain: ChainClient;
  treasury: TreasuryKey;
  owner: string;
  now: () => Date;
  settings: TransferSettings;
  logger: Logger;
  /**
   * The head block at which each transaction was last looked up by this worker: nothing about a
   * transaction can change until the next block, so it is looked up (and re-sent) once per block.
   */
  lookedUpAt?: Map<string, number>;
  /**
   * Runs a broadcast without waiting for it (a synchronous broadcast waits for its block); when
   * absent, each pass waits for its broadcasts.
   */
  launch?: (broadcast: () => Promise<void>) => void;
  /** Recipient accounts this worker has seen on chain. */
  knownAccounts?: Set<string>;
}

export const payoutMemo = (batch: string) => `inkwell:payout:${batch}`;

const ACCOUNTS_PER_CALL = 500;
const PAYABLE_FIELDS = { steemAccount: 1, liquid: 1, power: 1, batch: 1 } as const;

/** Payments of users who have linked a Steem account since they were owed (or re-linked after a hold). */
export async function queueLinkedPayments(): Promise<number> {
  const waitingUsers = await PaymentModel.distinct('user', { status: { $in: ['unclaimed', 'held'] }, user: { $ne: null } });
  if (waitingUsers.length === 0) return 0;
  const linked = await UserModel.find({ _id: { $in: waitingUsers }, steemAccount: { $type: 'string' } }, { steemAccount: 1 }).lean();
  let queued = 0;
  for (const user of linked) {
    const unclaimed = await PaymentModel.updateMany({ user: user._id, status: 'unclaimed' }, { $set: { status: 'queued', steemAccount: user.steemAccount } });
    // A hold is about one account; a different account linked since is worth trying.
    const held = await PaymentModel.updateMany(
      { user: user._id, status: 'held', steemAccount: { $ne: user.steemAccount } },
      { $set: { status: 'queued', steemAccount: user.steemAccount, heldReason: null } },
    );
    queued += unclaimed.modifiedCount + held.modifiedCount;
  }
  return queued;
}

/** Releases payments of transactions whose builder stopped before signing, or that expired unincluded. */
export async function releaseStrandedPayments(context: TransferContext): Promise<void> {
  const now = context.now();
  const stale = await PayoutTransactionModel.find({ status: 'building', leaseUntil: { $lte: now } }, { _id: 1 }).lean();
  for (const tx of stale) {
    const abandoned = await PayoutTransactionModel.updateOne({ _id: tx._id, status: 'building', leaseUntil: { $lte: now } }, { $set: { status: 'abandoned' } });
    if (abandoned.modifiedCount === 1) await releasePayments(tx._id);
  }
  // A release interrupted after its transaction was marked expired or abandoned.
  const assignedTo = await PaymentModel.distinct('transaction', { status: 'assigned' });
  if (assignedTo.length === 0) return;
  const done = await PayoutTransactionModel.find({ _id: { $in: assignedTo }, status: { $in: ['expired', 'abandoned'] } }, { _id: 1 }).lean();
  const known = new Set((await PayoutTransactionModel.find({ _id: { $in: assignedTo } }, { _id: 1 }).lean()).map((t) => t._id.toString()));
  for (const tx of done) await releasePayments(tx._id);
  for (const id of assignedTo) if (id && !known.has(id.toString())) await releasePayments(id);
}

async function releasePayments(transaction: Types.ObjectId): Promise<void> {
  await PaymentModel.updateMany({ transaction, status: 'assigned' }, { $set: { status: 'queued', transaction: null } });
}

/**
 * Turns queued payments into signed, stored, broadcast transactions, as far as the treasury's
 * balance goes. Recipients whose account does not exist are held; a shortfall pauses transfers.
 */
export async function buildTransactions(context: TransferContext): Promise<number> {
  const { chain, treasury, settings } = context;
  // What paying reads of a payment; its shares (one per post it pays for) stay in the database.
  const queued = await PaymentModel.find({ status: 'queued' }, PAYABLE_FIELDS).sort({ _id: 1 }).limit(settings.paymentsPerPass).lean();
  if (queued.length === 0) {
    await resumeTransfers(context.logger);
    return 0;
  }

  // Steem accounts are never deleted: one seen to exist needs no second look.
  const existing = context.knownAccounts ?? new Set<string>();
  const accounts = [...new Set(queued.map((p) => p.steemAccount!))].filter((name) => !existing.has(name));
  for (let i = 0; i < accounts.length; i += ACCOUNTS_PER_CALL) {
    for (const account of await chain.getAccounts(accounts.slice(i, i + ACCOUNTS_PER_CALL))) existing.add(account.name);
  }
  const unknown = queued.filter((p) => !existing.has(p.steemAccount!));
  for (const payment of unknown) {
    await PaymentModel.updateOne(
      { _id: payment._id, status: 'queued' },
      { $set: { status: 'held', heldReason: `Steem account "${payment.steemAccount}" does not exist` } },
    );
    context.logger.warn({ payment: payment._id.toString(), account: payment.steemAccount }, 'payment held: recipient account does not exist on chain');
  }

  const treasuryAccount = await chain.getAccount(treasury.account);
  if (!treasuryAccount) throw new Error(`treasury account ${treasury.account} does not exist on chain`);
  const inFlight = await PayoutTransactionModel.find({ status: { $in: ['building', 'signed'] } }, { liquid: 1, power: 1 }).lean();
  let available = treasuryAccount.balance - inFlight.reduce((sum, t) => sum + BigInt(t.liquid) + BigInt(t.power), 0n);
  const payable: PayablePayment[] = [];
  let shortfall = 0n;
  for (const payment of queued) {
    if (!existing.has(payment.steemAccount!)) continue;
    const amount = BigInt(payment.liquid) + BigInt(payment.power);
    if (amount > available) {
      shortfall += amount;
      continue;
    }
    available -= amount;
    payable.push({ id: payment._id.toString(), to: payment.steemAccount!, liquid: BigInt(payment.liquid), power: BigInt(payment.power), memo: payoutMemo(payment.batch) });
  }
  if (shortfall > 0n) {
    await pauseTransfers(
      context.logger,
      `treasury ${treasury.account} has ${formatSteem(treasuryAccount.balance)}, ${formatSteem(shortfall)} short of the queued payouts; transfers resume when it is funded`,
    );
  } else {
    await resumeTransfers(context.logger);
  }

  const packed = packTransactions(treasury.account, payable, { maxOperations: settings.maxOperations, maxBytes: settings.maxBytes });
  const broadcasts: (() => Promise<void>)[] = [];
  // Each transaction takes its own payments, so they are signed and stored side by side.
  const signing = packed.map((plan) => async () => {
    const stored = await createSignedTransaction(context, plan.paymentIds);
    if (!stored) return;
    const send = () => broadcast(context, stored);
    if (context.launch) context.launch(send);
    else broadcasts.push(send);
  });
  await runLimited(signing, settings.concurrency);
  await runLimited(broadcasts, settings.concurrency);
  return packed.length;
}

interface StoredTransaction {
  _id: Types.ObjectId;
  txId: string;
  signed: SignedTransaction;
}

async function createSignedTransaction(context: TransferContext, paymentIds: string[]): Promise<StoredTransaction | null> {
  const { settings } = context;
  const lease = () => new Date(context.now().getTime() + settings.leaseMs);
  const tx = await PayoutTransactionModel.create({ status: 'building', owner: context.owner, leaseUntil: lease() });
  await PaymentModel.updateMany({ _id: { $in: paymentIds }, status: 'queued', transaction: null }, { $set: { status: 'assigned', transaction: tx._id } });
  const payments = await PaymentModel.find({ transaction: tx._id, status: 'assigned' }, PAYABLE_FIELDS).sort({ _id: 1 }).lean();
  if (payments.length === 0) {
    await PayoutTransactionModel.updateOne({ _id: tx._id, status: 'building' }, { $set: { status: 'abandoned' } });
    return null;
  }
  const [plan] = packTransactions(
    context.treasury.account,
    payments.map((p) => ({ id: p._id.toString(), to: p.steemAccount!, liquid: BigInt(p.liquid), power: BigInt(p.power), memo: payoutMemo(p.batch) })),
    { maxOperations: settings.maxOperations, maxBytes: settings.maxBytes },
  );
  const signed = await context.chain.buildAndSignTransaction(plan!.operations, [context.treasury], { expirationSeconds: settings.expirationSeconds });
  // Stored before any broadcast, and only while this worker still holds the build.
  const stored = await PayoutTransactionModel.updateOne(
    { _id: tx._id, status: 'building', owner: context.owner },
    {
      $set: {
        status: 'signed',
        txId: signed.id,
        expiration: parseChainTimeDate(signed.expiration),
        signed: signed.transaction,
        payments: payments.map((p) => p._id),
        operations: plan!.operations.length,
        liquid: payments.reduce((sum, p) => sum + BigInt(p.liquid), 0n).toString(),
        power: payments.reduce((sum, p) => sum + BigInt(p.power), 0n).toString(),
        leaseUntil: lease(),
      },
    },
  );
  if (stored.modifiedCount !== 1) return null; // reaped meanwhile: its payments were released, never broadcast this
  return { _id: tx._id, txId: signed.id, signed: signed.transaction };
}

function parseChainTimeDate(text: string): Date {
  return new Date(parseChainTime(text));
}

async function broadcast(context: TransferContext, tx: StoredTransaction): Promise<void> {
  await PayoutTransactionModel.updateOne({ _id: tx._id }, { $inc: { broadcasts: 1 } });
  try {
    const result = await context.chain.broadcastTransaction(tx.signed);
    await markIncluded(tx._id, tx.txId, result.blockNum, result.trxNum);
  } catch (error) {
    // Accepted by an earlier attempt: the lookup confirms where.
    if (error instanceof DuplicateTransaction) return;
    const message = error instanceof Error ? error.message : String(error);
    await PayoutTransactionModel.updateOne({ _id: tx._id }, { $set: { lastError: message.slice(0, 500) } });
    if (error instanceof InsufficientFunds) {
      await pauseTransfers(context.logger, `treasury ${context.treasury.account} has insufficient STEEM for transaction ${tx.txId}; transfers resume when it is funded`);
    } else if (error instanceof MissingAuthority) {
      context.logger.error({ tx: tx.txId }, 'the treasury key does not satisfy the active authority: check TREASURY_ACTIVE_KEY');
    } else if (!(error instanceof UnknownAccount)) {
      context.logger.warn({ tx: tx.txId, reason: message }, 'broadcast outcome unknown; the transaction id will be looked up');
    }
  }
}

async function markIncluded(id: Types.ObjectId, txId: string, blockNum: number, trxNum: number): Promise<void> {
  // Payments first: if this stops half way the transaction is still `signed` and is looked up again.
  await PaymentModel.updateMany({ transaction: id, status: 'assigned' }, { $set: { status: 'included', txId, blockNum } });
  await PayoutTransactionModel.updateOne({ _id: id, status: 'signed' }, { $set: { status: 'included', blockNum, trxNum } });
}

export interface ChainSnapshot {
  headBlock: number;
  headTime: number;
  lastIrreversibleBlock: number;
  lastIrreversibleTime: number;
}

export async function chainSnapshot(chain: ChainClient): Promise<ChainSnapshot> {
  const properties = await chain.getDynamicGlobalProperties();
  const lib = properties.last_irreversible_block_num;
  const block = lib > 0 ? await chain.getBlock(lib) : null;
  return { headBlock: properties.head_block_number, headTime: parseChainTime(properties.time), lastIrreversibleBlock: lib, lastIrreversibleTime: block ? parseChainTime(block.timestamp) : 0 };
}

/** Moves every signed or included transaction this worker can lease one step towards settled. */
export async function progressTransactions(context: TransferContext): Promise<{ included: number; settled: number; expired: number }> {
  const now = context.now();
  const open = await PayoutTransactionModel.find({ status: { $in: ['signed', 'included'] }, $or: [{ owner: context.owner }, { leaseUntil: { $lte: now } }] }, { _id: 1, txId: 1 })
    .sort({ _id: 1 })
    .lean();
  const counts = { included: 0, settled: 0, expired: 0 };
  if (open.length === 0) return counts;
  const snapshot = await chainSnapshot(context.chain);
  const lookedUpAt = context.lookedUpAt;
  const due = lookedUpAt ? open.filter((candidate) => !candidate.txId || lookedUpAt.get(candidate.txId) !== snapshot.headBlock) : open;
  const tasks = due.map((candidate) => async () => {
    // The signed transaction itself is large and needed only to send it again: left out here.
    const tx = await PayoutTransactionModel.findOneAndUpdate(
      { _id: candidate._id, status: { $in: ['signed', 'included'] }, $or: [{ owner: context.owner }, { leaseUntil: { $lte: context.now() } }] },
      { $set: { owner: context.owner, leaseUntil: new Date(context.now().getTime() + context.settings.leaseMs) } },
      { returnDocument: 'after', projection: { _id: 1, txId: 1, status: 1, expiration: 1, blockNum: 1 } },
    ).lean();
    if (!tx || !tx.txId) return;
    const outcome = await progressOne(context, { _id: tx._id, txId: tx.txId, status: tx.status, expiration: tx.expiration!, blockNum: tx.blockNum }, snapshot);
    if (outcome) counts[outcome] += 1;
    if (outcome === 'settled' || outcome === 'expired') lookedUpAt?.delete(tx.txId);
    else lookedUpAt?.set(tx.txId, snapshot.headBlock);
  });
  await runLimited(tasks, context.settings.concurrency);
  return counts;
}

async function progressOne(
  context: TransferContext,
  tx: { _id: Types.ObjectId; txId: string; status: string; expiration: Date; blockNum: number | null | undefined },
  snapshot: ChainSnapshot,
): Promise<'included' | 'settled' | 'expired' | null> {
  const found = await context.chain.findTransaction(tx.txId);
  if (tx.status === 'included') {
    if (!found) {
      // Its block was undone: back to waiting for the same id (or its expiry).
      await PayoutTransactionModel.updateOne({ _id: tx._id, status: 'included' }, { $set: { status: 'signed', blockNum: null, trxNum: null } });
      await PaymentModel.updateMany({ transaction: tx._id, status: 'included' }, { $set: { status: 'assigned', blockNum: null } });
      return null;
    }
    if (found.blockNum > snapshot.lastIrreversibleBlock) return null;
    await PaymentModel.updateMany({ transaction: tx._id, status: { $in: ['assigned', 'included'] } }, { $set: { status: 'settled', txId: tx.txId, blockNum: found.blockNum, settledAt: context.now() } });
    await notifyPaymentsSettled(tx._id); // before the transaction is final, so a crash here repeats it
    await PayoutTransactionModel.updateOne({ _id: tx._id, status: 'included' }, { $set: { status: 'irreversible', blockNum: found.blockNum, trxNum: found.trxNum } });
    return 'settled';
  }
  if (found) {
    await markIncluded(tx._id, tx.txId, found.blockNum, found.trxNum);
    return 'included';
  }
  const expiration = tx.expiration.getTime();
  if (expiration <= snapshot.lastIrreversibleTime) {
    // Every block that could have carried it is irreversible and none did: it never will.
    const expired = await PayoutTransactionModel.updateOne({ _id: tx._id, status: 'signed' }, { $set: { status: 'expired' } });
    if (expired.modifiedCount === 1) await releasePayments(tx._id);
    context.logger.info({ tx: tx.txId }, 'transaction expired without being included; its payments are queued for a new one');
    return 'expired';
  }
  // Not seen and still valid: the same bytes again (a duplicate answer means it was accepted).
  if (expiration > snapshot.headTime) {
    const stored = await PayoutTransactionModel.findById(tx._id, { signed: 1 }).lean();
    if (stored?.signed) await broadcast(context, { _id: tx._id, txId: tx.txId, signed: stored.signed as SignedTransaction });
  }
  return null;
}

async function runLimited(tasks: (() => Promise<void>)[], concurrency: number): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const lane = async () => {
    while (next < tasks.length) {
      const task = tasks[next++]!;
      await task().catch((error: unknown) => errors.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, tasks.length)) }, lane));
  if (errors.length > 0) throw errors[0];
}
