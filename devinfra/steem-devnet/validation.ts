import { parseAsset, type Asset } from '../../domain/money';
import { isValidSteemAccountName } from '../../domain/accounts';
import { parseCompactSignature, recoverPublicKey, SignatureFormatError, tryParsePublicKey } from '../../chain/keys';
import { serializeTransaction, transactionDigest, transactionId, unsignedPart, type SignedTransaction } from '../../chain/serialization';
import type { AuthorityJson } from '../../chain/types';
import { FC, FcError, fcAssert } from './fcErrors';

/** Operations the devnet evaluates; anything else is refused rather than silently accepted. */
export type DevnetOperation =
  | ['transfer', { from: string; to: string; amount: string; memo: string }]
  | ['transfer_to_vesting', { from: string; to: string; amount: string }]
  | [
      'account_create',
      {
        fee: string;
        creator: string;
        new_account_name: string;
        owner: AuthorityJson;
        active: AuthorityJson;
        posting: AuthorityJson;
        memo_key: string;
        json_metadata: string;
      },
    ];

// STEEM_MAX_MEMO_SIZE
const MAX_MEMO_SIZE = 2048;
// STEEM_MAX_AUTHORITY_MEMBERSHIP, STEEM_MAX_SIG_CHECK_DEPTH, STEEM_MAX_SIG_CHECK_ACCOUNTS
export const MAX_AUTHORITY_MEMBERSHIP = 40;
export const MAX_SIG_CHECK_DEPTH = 2;
export const MAX_SIG_CHECK_ACCOUNTS = 125;

/** steemd `is_valid_account_name`: the one rule of domain/accounts. */
export const isValidAccountName = isValidSteemAccountName;

export function validateAccountName(name: unknown): void {
  fcAssert(isValidAccountName(name), 'is_valid_account_name( name )', 'Account name ${n} is invalid', { n: name });
}

function badCast(message: string): FcError {
  return new FcError(FC.badCast, message, {}, undefined, { file: 'variant.cpp', line: 0, method: 'from_variant' });
}

function asset(value: unknown, field: string): Asset {
  if (typeof value !== 'string') throw badCast(`${field}: expected an asset string`);
  try {
    return parseAsset(value);
  } catch (error) {
    throw badCast(`${field}: ${(error as Error).message}`);
  }
}

function validateAuthority(authority: unknown, field: string): void {
  const value = authority as AuthorityJson;
  if (!value || typeof value !== 'object' || !Number.isInteger(value.weight_threshold) || !Array.isArray(value.key_auths) || !Array.isArray(value.account_auths)) {
    throw badCast(`${field}: expected an authority`);
  }
  for (const [key, weight] of value.key_auths) {
    if (!tryParsePublicKey(key) || !Number.isInteger(weight)) throw badCast(`${field}: invalid key_auths entry`);
  }
  for (const [account, weight] of value.account_auths) {
    validateAccountName(account);
    if (!Number.isInteger(weight)) throw badCast(`${field}: invalid account_auths entry`);
  }
}

/** `operation::validate()` for the supported operations (S steem_operations.cpp). */
function validateOperation(operation: unknown): DevnetOperation {
  if (!Array.isArray(operation) || operation.length !== 2 || typeof operation[0] !== 'string' || !operation[1] || typeof operation[1] !== 'object') {
    throw badCast('operation: expected [name, body]');
  }
  const [name, body] = operation as [string, Record<string, unknown>];
  switch (name) {
    case 'transfer': {
      validateAccountName(body.from);
      validateAccountName(body.to);
      const amount = asset(body.amount, 'amount');
      fcAssert(amount.symbol !== 'VESTS', 'amount.symbol.is_vesting() == false', 'Transfer of vesting is not allowed.');
      fcAssert(amount.amount > 0n, 'amount.amount > 0', 'Cannot transfer a negative amount (aka: stealing)');
      if (typeof body.memo !== 'string') throw badCast('memo: expected a string');
      fcAssert(Buffer.byteLength(body.memo, 'utf8') < MAX_MEMO_SIZE, 'memo.size() < STEEM_MAX_MEMO_SIZE', 'Memo is too large');
      fcAssert(Buffer.from(body.memo, 'utf8').toString('utf8') === body.memo, 'fc::is_utf8( memo )', 'Memo is not UTF8');
      break;
    }
    case 'transfer_to_vesting': {
      validateAccountName(body.from);
      if (body.to !== '') validateAccountName(body.to);
      const amount = asset(body.amount, 'amount');
      fcAssert(amount.symbol === 'STEEM', 'amount.symbol == STEEM_SYMBOL', 'Amount must be STEEM or SMT liquid');
      fcAssert(amount.amount > 0n, 'amount.amount > 0', 'Must transfer a nonzero amount');
      break;
    }
    case 'account_create': {
      validateAccountName(body.new_account_name);
      validateAccountName(body.creator);
      const fee = asset(body.fee, 'fee');
      fcAssert(fee.symbol === 'STEEM', 'is_asset_type( fee, STEEM_SYMBOL )', 'Account creation fee must be STEEM');
      fcAssert(fee.amount >= 0n, 'fee >= asset( 0, STEEM_SYMBOL )', 'Account creation fee cannot be negative');
      validateAuthority(body.owner, 'owner');
      validateAuthority(body.active, 'active');
      validateAuthority(body.posting, 'posting');
      if (typeof body.memo_key !== 'string' || !tryParsePublicKey(body.memo_key)) throw badCast('memo_key: expected a public key');
      if (typeof body.json_metadata !== 'string') throw badCast('json_metadata: expected a string');
      if (body.json_metadata.length > 0) {
        try {
          JSON.parse(body.json_metadata);
        } catch {
          fcAssert(false, 'fc::json::is_valid(json_metadata)', 'JSON Metadata not valid JSON');
        }
      }
      break;
    }
    default:
      fcAssert(false, 'false', 'The devnet does not evaluate operation ${op}', { op: name });
  }
  return operation as DevnetOperation;
}

export interface CheckedTransaction {
  transaction: SignedTransaction;
  id: string;
  operations: DevnetOperation[];
  /** Seconds since the epoch. */
  expiration: number;
  size: number;
}

/**
 * Turns the JSON a client sent into a transaction steemd would accept as well-formed: the fields
 * convert, the binary form serializes with dsteem's serializer (the same bytes signed and hashed),
 * and every operation passes its `validate()`.
 */
export function checkTransactionShape(json: unknown): CheckedTransaction {
  const tx = json as SignedTransaction;
  if (!tx || typeof tx !== 'object') throw badCast('transaction: expected an object');
  if (!Number.isInteger(tx.ref_block_num) || tx.ref_block_num < 0 || tx.ref_block_num > 0xffff) throw badCast('ref_block_num: expected uint16');
  if (!Number.isInteger(tx.ref_block_prefix) || tx.ref_block_prefix < 0 || tx.ref_block_prefix > 0xffffffff) throw badCast('ref_block_prefix: expected uint32');
  if (typeof tx.expiration !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(tx.expiration)) throw badCast('expiration: expected YYYY-MM-DDTHH:MM:SS');
  if (!Array.isArray(tx.operations) || !Array.isArray(tx.signatures)) throw badCast('transaction: operations and signatures must be arrays');
  // steemd's extensions type only has a void variant: any element fails to convert.
  if (!Array.isArray(tx.extensions) || tx.extensions.length > 0) throw badCast('extensions: only [] is valid');
  fcAssert(tx.operations.length > 0, 'operations.size() > 0', 'A transaction must have at least one operation', { trx: tx });
  const operations = tx.operations.map(validateOperation);
  let packed: Buffer;
  try {
    packed = serializeTransaction(unsignedPart(tx));
  } catch (error) {
    throw badCast(`unable to serialize transaction: ${(error as Error).message}`);
  }
  return {
    transaction: tx,
    id: transactionId(unsignedPart(tx)),
    operations,
    expiration: Math.floor(Date.parse(`${tx.expiration}Z`) / 1000),
    size: packed.length + tx.signatures.length * 66 + 1,
  };
}

/**
 * steemd `signed_transaction::get_signature_keys` with `bip_0062` canonical signatures (HF20
 * `__1944`): recovers one key per signature over SHA-256(chain id ‖ packed tx); a key twice is
 * `tx_duplicate_sig`.
 */
export function signatureKeys(tx: SignedTransaction, chainId: Buffer, addressPrefix: string): string[] {
  const digest = transactionDigest(unsignedPart(tx), chainId);
  const keys = new Set<string>();
  for (const hex of tx.signatures) {
    let key: string;
    try {
      key = recoverPublicKey(parseCompactSignature(hex), digest, addressPrefix).key.toString('hex');
    } catch (error) {
      if (error instanceof SignatureFormatError && /canonical/.test(error.message)) {
        fcAssert(false, 'is_canonical( c, check_canonical )', 'signature is not canonical');
      }
      throw new FcError(FC.exception, 'unable to reconstruct public key from signature', {}, undefined, { file: 'elliptic_secp256k1.cpp', line: 0, method: 'public_key' });
    }
    if (keys.has(key)) throw new FcError(FC.duplicateSig, 'Duplicate Signature detected', {}, undefined, { file: 'transaction.cpp', line: 0, method: 'get_signature_keys' });
    keys.add(key);
  }
  return [...keys];
}
