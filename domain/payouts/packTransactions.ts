/**
 * Packs payments into treasury transactions: each payment becomes a `transfer` (liquid, with the
 * memo naming its batch) and a `transfer_to_vesting` (power), and a payment's operations always
 * travel together. A transaction holds at most `maxOperations` operations and its signed binary
 * form at most `maxBytes` (steemd: pack_size ≤ maximum_block_size − 256). Sizes are exact, from
 * Steem's binary layout (docs/payouts.md, "Chain facts the payouts rely on"). Pure.
 */
import { formatSteem } from '../money';
import type { SteemAmount } from '../money/asset';

export interface PayablePayment {
  id: string;
  to: string;
  liquid: SteemAmount;
  power: SteemAmount;
  memo: string;
}

export type TransferOperation =
  | ['transfer', { from: string; to: string; amount: string; memo: string }]
  | ['transfer_to_vesting', { from: string; to: string; amount: string }];

export interface PackedTransaction {
  paymentIds: string[];
  operations: TransferOperation[];
  bytes: number;
}

const ASSET_BYTES = 16; // int64 amount, uint8 precision, 7-byte symbol
const SIGNATURE_BYTES = 65;
// ref_block_num u16, ref_block_prefix u32, expiration u32, empty extensions, one signature.
const FIXED_BYTES = 2 + 4 + 4 + 1 + varintBytes(1) + SIGNATURE_BYTES;

export function varintBytes(value: number): number {
  let bytes = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    bytes += 1;
  }
  return bytes;
}

function stringBytes(text: string): number {
  const length = Buffer.byteLength(text, 'utf8');
  return varintBytes(length) + length;
}

export function operationBytes(operation: TransferOperation): number {
  const [name, body] = operation;
  const common = 1 + stringBytes(body.from) + stringBytes(body.to) + ASSET_BYTES;
  return name === 'transfer' ? common + stringBytes(body.memo) : common;
}

/** Signed size of a transaction with these operations and one signature. */
export function transactionBytes(operations: readonly TransferOperation[]): number {
  return FIXED_BYTES + varintBytes(operations.length) + operations.reduce((sum, op) => sum + operationBytes(op), 0);
}

export function paymentOperations(treasury: string, payment: PayablePayment): TransferOperation[] {
  const operations: TransferOperation[] = [];
  if (payment.liquid > 0n) operations.push(['transfer', { from: treasury, to: payment.to, amount: formatSteem(payment.liquid), memo: payment.memo }]);
  if (payment.power > 0n) operations.push(['transfer_to_vesting', { from: treasury, to: payment.to, amount: formatSteem(payment.power) }]);
  return operations;
}

export function packTransactions(
  treasury: string,
  payments: readonly PayablePayment[],
  limits: { maxOperations: number; maxBytes: number },
): PackedTransaction[] {
  const packed: PackedTransaction[] = [];
  let current: PackedTransaction | null = null;
  for (const payment of payments) {
    const operations = paymentOperations(treasury, payment);
    if (operations.length === 0) continue;
    if (operations.length > limits.maxOperations || transactionBytes(operations) > limits.maxBytes) {
      throw new RangeError(`payment ${payment.id} does not fit in one transaction under the configured limits`);
    }
    if (current) {
      const combined = [...current.operations, ...operations];
      const bytes = transactionBytes(combined);
      if (combined.length <= limits.maxOperations && bytes <= limits.maxBytes) {
        current.operations = combined;
        current.paymentIds.push(payment.id);
        current.bytes = bytes;
        continue;
      }
      packed.push(current);
    }
    current = { paymentIds: [payment.id], operations, bytes: transactionBytes(operations) };
  }
  if (current) packed.push(current);
  return packed;
}
