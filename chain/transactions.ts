import { PrivateKey, cryptoUtils } from './keys';
import { ChainUsageError } from './errors';
import { formatChainTime, parseChainTime, transactionId, type Operation, type SignedTransaction, type Transaction } from './serialization';
import type { GlobalPropertiesJson } from './types';

/** steemd STEEM_MAX_TIME_UNTIL_EXPIRATION: a transaction may expire at most one hour after head time. */
export const MAX_EXPIRATION_SECONDS = 3600;

export type SigningKey = string | PrivateKey | { readonly privateKey: PrivateKey };

export interface SignedTransactionResult {
  transaction: SignedTransaction;
  /** Computed locally before broadcast: first 20 bytes of SHA-256 of the packed unsigned transaction. */
  id: string;
  /** UTC "YYYY-MM-DDTHH:MM:SS"; after head time passes it the id can never be applied. */
  expiration: string;
  refBlockNum: number;
  refBlockPrefix: number;
}

function toPrivateKey(key: SigningKey): PrivateKey {
  if (key instanceof PrivateKey) return key;
  if (typeof key === 'string') {
    try {
      return PrivateKey.fromString(key);
    } catch {
      // The key itself must never appear in the message.
      throw new ChainUsageError('invalid private key: not a valid WIF');
    }
  }
  return key.privateKey;
}

/**
 * Builds a transaction the way dsteem's `sendOperations` does (TaPoS on the head block,
 * expiration relative to head time, no extensions) and signs it with every key.
 */
export function signTransaction(
  properties: GlobalPropertiesJson,
  operations: Operation[],
  keys: SigningKey[],
  chainId: Buffer,
  expirationSeconds = 60,
): SignedTransactionResult {
  if (!Number.isInteger(expirationSeconds) || expirationSeconds <= 0 || expirationSeconds > MAX_EXPIRATION_SECONDS) {
    throw new ChainUsageError(`expirationSeconds must be an integer in 1..${MAX_EXPIRATION_SECONDS}`);
  }
  if (operations.length === 0) throw new ChainUsageError('a transaction needs at least one operation');
  if (keys.length === 0) throw new ChainUsageError('at least one signing key is required');
  const refBlockNum = properties.head_block_number & 0xffff;
  // ref_block_prefix is the second 32-bit word of the block id (steemd `block_id._hash[1]`).
  const refBlockPrefix = Buffer.from(properties.head_block_id, 'hex').readUInt32LE(4);
  const expiration = formatChainTime(parseChainTime(properties.time) + expirationSeconds * 1000);
  const transaction: Transaction = {
    ref_block_num: refBlockNum,
    ref_block_prefix: refBlockPrefix,
    expiration,
    operations,
    extensions: [],
  };
  const signed = cryptoUtils.signTransaction(transaction, keys.map(toPrivateKey), chainId);
  return { transaction: signed, id: transactionId(transaction), expiration, refBlockNum, refBlockPrefix };
}

export interface BroadcastResult {
  id: string;
  blockNum: number;
  trxNum: number;
}

export interface FoundTransaction {
  id: string;
  blockNum: number;
  trxNum: number;
  transaction: SignedTransaction;
}
