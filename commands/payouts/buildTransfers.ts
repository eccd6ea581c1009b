/**
 * Building payout transfers, exactly once (docs/payouts.md, "Transfers"): queued payments are
 * claimed into a transaction document (`building`), signed, and the signed transaction with its
 * locally computed id and expiration is stored (`signed`) before it is ever broadcast. From then on
 * the id is the truth (see followTransfers). A builder that stops before signing is reaped and its
 * payments are released.
 */
import type { Types } from 'mongoose';
import { parseChainTime } from '../../chain';
import { formatSteem } from '../../domain/money';
import { packTransactions, type PayablePayment } from '../../domain/payouts';
import { PaymentModel } from '../../models/payment';
import { PayoutTransactionModel } from '../../models/payoutTransaction';
import { UserModel } from '../../models/user';
import { pauseTransfers, resumeTransfers } from './payoutState';
import { payoutMemo, runLimited, type TransferContext } from './transferContext';
import { broadcastStored, releasePayments, type StoredTransaction } from './transferLedger';

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

type QueuedPayment = { _id: Types.ObjectId; steemAccount?: string | null; liquid: string; power: string; batch: string };

/** Holds the payments whose recipient account does not exist on chain; returns the accounts that do. */
async function holdUnknownRecipients(context: TransferContext, queued: QueuedPayment[]): Promise<Set<string>> {
  // Steem accounts are never deleted: one seen to exist needs no second look.
  const existing = context.knownAccounts ?? new Set<string>();
  const accounts = [...new Set(queued.map((p) => p.steemAccount!))].filter((name) => !existing.has(name));
  for (let i = 0; i < accounts.length; i += ACCOUNTS_PER_CALL) {
    for (const account of await context.chain.getAccounts(accounts.slice(i, i + ACCOUNTS_PER_CALL))) existing.add(account.name);
  }
  for (const payment of queued.filter((p) => !existing.has(p.steemAccount!))) {
    await PaymentModel.updateOne(
      { _id: payment._id, status: 'queued' },
      { $set: { status: 'held', heldReason: `Steem account "${payment.steemAccount}" does not exist` } },
    );
    context.logger.warn({ payment: payment._id.toString(), account: payment.steemAccount }, 'payment held: recipient account does not exist on chain');
  }
  return existing;
}

/**
 * Turns queued payments into signed, stored, broadcast transactions, as far as the treasury's
 * balance goes. Recipients whose account does not exist are held; a shortfall pauses transfers.
 */
export async function buildTransactions(context: TransferContext): Promise<number> {
  const { chain, treasury, settings } = context;
  // What paying reads of a payment; its shares (one per post it pays for) stay in the database.
  const queued = await PaymentModel.find({ status: 'queued' }, PAYABLE_FIELDS).sort({ _id: 1 }).limit(settings.paymentsPerPass).lean<QueuedPayment[]>();
  if (queued.length === 0) {
    await resumeTransfers(context.logger);
    return 0;
  }
  const existing = await holdUnknownRecipients(context, queued);

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
    const send = () => broadcastStored(context, stored);
    if (context.launch) context.launch(send);
    else broadcasts.push(send);
  });
  await runLimited(signing, settings.concurrency);
  await runLimited(broadcasts, settings.concurrency);
  return packed.length;
}

async function createSignedTransaction(context: TransferContext, paymentIds: string[]): Promise<StoredTransaction | null> {
  const { settings } = context;
  const lease = () => new Date(context.now().getTime() + settings.leaseMs);
  const tx = await PayoutTransactionModel.create({ status: 'building', owner: context.owner, leaseUntil: lease() });
  await PaymentModel.updateMany({ _id: { $in: paymentIds }, status: 'queued', transaction: null }, { $set: { status: 'assigned', transaction: tx._id } });
  const payments = await PaymentModel.find({ transaction: tx._id, status: 'assigned' }, PAYABLE_FIELDS).sort({ _id: 1 }).lean<QueuedPayment[]>();
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
        expiration: new Date(parseChainTime(signed.expiration)),
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
