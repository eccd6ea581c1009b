/**
 * Reconciliation: the payout ledger against the treasury's on-chain account history.
 *
 * Every recorded transaction that should be on chain must be there with exactly the operations its
 * payments call for, and every outgoing treasury operation on chain must belong to a recorded
 * transaction (or to a transfer an operator already acknowledged). `fix` repairs what can be
 * repaired without judgement: a transaction recorded as included but absent and expired is
 * re-queued; one recorded with an unknown outcome but present is recorded as included; one on chain
 * but unknown is recorded (matched to its payments when its memo names a batch). A transaction
 * that expired in the ledger yet is on chain, or whose amounts differ, needs a person
 * (docs/payouts.md, "Reconciliation").
 */
import { Types } from 'mongoose';
import type { ChainClient } from '../../chain';
import { paymentOperations } from '../../domain/payouts';
import { ChainTransferRecordModel } from '../../models/chainTransferRecord';
import { PaymentModel } from '../../models/payment';
import { PayoutTransactionModel } from '../../models/payoutTransaction';
import { chainSnapshot } from './followTransfers';
import { payoutMemo } from './transferContext';

export type DifferenceKind = 'missing-on-chain' | 'found-on-chain' | 'unrecorded-on-chain' | 'amount-mismatch' | 'expired-but-on-chain';

export interface Difference {
  kind: DifferenceKind;
  txId: string;
  detail: string;
  fixable: boolean;
}

interface ChainTransaction {
  txId: string;
  block: number;
  /** Outgoing treasury operations, in order, as comparable strings. */
  operations: string[];
  memos: string[];
}

const describe = (name: string, body: Record<string, unknown>) =>
  `${name} ${String(body.to)} ${String(body.amount)}${name === 'transfer' ? ` memo=${String(body.memo)}` : ''}`;

async function treasuryTransactions(chain: ChainClient, treasury: string): Promise<Map<string, ChainTransaction>> {
  const transactions = new Map<string, ChainTransaction>();
  const entries = [];
  for await (const entry of chain.scanAccountHistory(treasury)) entries.push(entry);
  entries.sort((a, b) => a.seq - b.seq);
  for (const entry of entries) {
    const [name, body] = entry.op;
    if ((name !== 'transfer' && name !== 'transfer_to_vesting') || body.from !== treasury) continue;
    const tx = transactions.get(entry.trxId) ?? { txId: entry.trxId, block: entry.block, operations: [], memos: [] };
    tx.operations.push(describe(name, body));
    if (name === 'transfer') tx.memos.push(String(body.memo));
    transactions.set(entry.trxId, tx);
  }
  return transactions;
}

interface LedgerPayment {
  _id: Types.ObjectId;
  steemAccount?: string | null;
  liquid: string;
  power: string;
  batch: string;
}

function expectedOperations(treasury: string, payments: LedgerPayment[]): string[] {
  return [...payments]
    .sort((a, b) => (a._id.toString() < b._id.toString() ? -1 : 1))
    .flatMap((p) =>
      paymentOperations(treasury, { id: p._id.toString(), to: p.steemAccount ?? '', liquid: BigInt(p.liquid), power: BigInt(p.power), memo: payoutMemo(p.batch) }),
    )
    .map(([name, body]) => describe(name, body));
}

export async function findDifferences(chain: ChainClient, treasury: string): Promise<Difference[]> {
  const [onChain, snapshot, ledger, acknowledged] = await Promise.all([
    treasuryTransactions(chain, treasury),
    chainSnapshot(chain),
    PayoutTransactionModel.find({ txId: { $type: 'string' } }).lean(),
    ChainTransferRecordModel.find({}, { txId: 1 }).lean(),
  ]);
  const differences: Difference[] = [];
  const recorded = new Set<string>(acknowledged.map((r) => r.txId));
  for (const tx of ledger) {
    const txId = tx.txId!;
    recorded.add(txId);
    const found = onChain.get(txId);
    const expired = (tx.expiration?.getTime() ?? 0) <= snapshot.lastIrreversibleTime;
    if (tx.status === 'included' || tx.status === 'irreversible') {
      if (!found) {
        differences.push({
          kind: 'missing-on-chain',
          txId,
          detail: `recorded ${tx.status} in block ${tx.blockNum} but not in the treasury's history${expired ? '; expired, so its payments can be re-queued' : '; not expired yet'}`,
          fixable: expired,
        });
        continue;
      }
    } else if (tx.status === 'signed') {
      if (found) differences.push({ kind: 'found-on-chain', txId, detail: `recorded with an unknown outcome but included in block ${found.block}`, fixable: true });
      continue;
    } else if (tx.status === 'expired') {
      if (found) differences.push({ kind: 'expired-but-on-chain', txId, detail: `recorded as expired and re-queued, yet included in block ${found.block}: its payments may have been paid twice`, fixable: false });
      continue;
    } else {
      continue;
    }
    const payments = await PaymentModel.find({ _id: { $in: tx.payments } }, { steemAccount: 1, liquid: 1, power: 1, batch: 1 }).lean<LedgerPayment[]>();
    const expected = expectedOperations(treasury, payments);
    if (expected.join('\n') !== found.operations.join('\n')) {
      differences.push({ kind: 'amount-mismatch', txId, detail: `ledger expects [${expected.join('; ')}], chain has [${found.operations.join('; ')}]`, fixable: false });
    }
  }
  for (const tx of onChain.values()) {
    if (recorded.has(tx.txId)) continue;
    differences.push({ kind: 'unrecorded-on-chain', txId: tx.txId, detail: `block ${tx.block}: ${tx.operations.join('; ')}`, fixable: true });
  }
  return differences;
}

/** Applies the fix of each fixable difference; returns how many it fixed. */
export async function fixDifferences(chain: ChainClient, treasury: string, differences: Difference[]): Promise<number> {
  let fixed = 0;
  const onChain = differences.some((d) => d.kind === 'unrecorded-on-chain' || d.kind === 'found-on-chain') ? await treasuryTransactions(chain, treasury) : new Map();
  for (const difference of differences.filter((d) => d.fixable)) {
    const tx = await PayoutTransactionModel.findOne({ txId: difference.txId }).lean();
    if (difference.kind === 'missing-on-chain' && tx) {
      await PayoutTransactionModel.updateOne({ _id: tx._id, status: tx.status }, { $set: { status: 'expired', blockNum: null, trxNum: null } });
      await PaymentModel.updateMany(
        { transaction: tx._id, status: { $in: ['assigned', 'included', 'settled'] } },
        { $set: { status: 'queued', transaction: null, txId: null, blockNum: null, settledAt: null } },
      );
      fixed += 1;
    } else if (difference.kind === 'found-on-chain' && tx) {
      const found = onChain.get(difference.txId)!;
      await PaymentModel.updateMany({ transaction: tx._id, status: 'assigned' }, { $set: { status: 'included', txId: difference.txId, blockNum: found.block } });
      await PayoutTransactionModel.updateOne({ _id: tx._id, status: 'signed' }, { $set: { status: 'included', blockNum: found.block } });
      fixed += 1;
    } else if (difference.kind === 'unrecorded-on-chain') {
      const found = onChain.get(difference.txId)!;
      await recordUnknownTransaction(found);
      fixed += 1;
    }
  }
  return fixed;
}

/**
 * An on-chain treasury transaction the ledger does not know. If its memos name payout batches and
 * unpaid payments of those batches match its operations exactly, they are recorded as paid by it;
 * otherwise it is recorded as an acknowledged transfer (an operator's own, say).
 */
async function recordUnknownTransaction(found: ChainTransaction): Promise<void> {
  const batches = [...new Set(found.memos.filter((m) => m.startsWith('inkwell:payout:')).map((m) => m.slice('inkwell:payout:'.length)))];
  if (batches.length > 0) {
    const candidates = await PaymentModel.find({ batch: { $in: batches }, status: { $in: ['queued', 'assigned'] } }).lean<(LedgerPayment & { status: string })[]>();
    // The comparable form of an operation leaves out `from`, so the treasury name is not needed here.
    const onChain = new Set(found.operations);
    const matched = candidates.filter((p) => expectedOperations('', [p]).every((op) => onChain.has(op)));
    if (matched.length > 0) {
      const id = new Types.ObjectId();
      await PayoutTransactionModel.create({
        _id: id,
        status: 'included',
        owner: 'reconcile',
        leaseUntil: new Date(0),
        payments: matched.map((p) => p._id),
        txId: found.txId,
        blockNum: found.block,
        operations: found.operations.length,
        liquid: matched.reduce((s, p) => s + BigInt(p.liquid), 0n).toString(),
        power: matched.reduce((s, p) => s + BigInt(p.power), 0n).toString(),
      });
      await PaymentModel.updateMany({ _id: { $in: matched.map((p) => p._id) } }, { $set: { status: 'included', transaction: id, txId: found.txId, blockNum: found.block } });
      return;
    }
  }
  await ChainTransferRecordModel.updateOne(
    { txId: found.txId },
    { $setOnInsert: { txId: found.txId, block: found.block, operations: found.operations, note: 'on chain, not made by the payout worker; recorded by reconcile --fix' } },
    { upsert: true },
  );
}

export function formatDifference(difference: Difference): string {
  return `${difference.kind.padEnd(22)} ${difference.txId}  ${difference.detail}${difference.fixable ? '' : '  [needs an operator]'}`;
}
