/** The chain client: the only part of Inkwell that talks to Steem (and the only importer of dsteem). */
export { createChainClient, type ChainClient, type ChainClientOptions } from './client';
export type { NodeHealth, ChainLogger } from './nodePool';
export {
  ChainError,
  ChainRpcError,
  ChainUsageError,
  DuplicateTransaction,
  TransactionExpired,
  TaposMismatch,
  InsufficientFunds,
  MissingAuthority,
  UnknownAccount,
  NodeUnreachable,
  redactKeys,
  type RpcErrorDetails,
} from './errors';
export { effectiveVestingShares, toChainAccount, type ChainAccount } from './accounts';
export { scanAccountHistory, type HistoryEntry } from './history';
export {
  signTransaction,
  MAX_EXPIRATION_SECONDS,
  type SignedTransactionResult,
  type BroadcastResult,
  type FoundTransaction,
  type SigningKey,
} from './transactions';
export { verifyAuthoritySignatures, type AuthorityVerification, type SignatureRejection, type VerifyAuthoritySignaturesInput } from './signatures';
export { loadTreasuryKey, checkTreasuryKey, TreasuryKey, TreasuryKeyError, type TreasuryKeyCheck } from './treasury';
export { parseAsset, parseAmount, formatAsset, toAmount, ASSET_PRECISION, AssetParseError, type Asset, type AssetSymbol } from '../domain/money';
export {
  serializeTransaction,
  transactionId,
  transactionDigest,
  formatChainTime,
  parseChainTime,
  type Operation,
  type SignedTransaction,
  type Transaction,
} from './serialization';
export { PrivateKey, PublicKey } from './keys';
export type { AuthorityJson, AccountJson, BlockJson, GlobalPropertiesJson, HistoryItemJson } from './types';
