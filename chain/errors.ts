/**
 * Typed chain errors. A node that answered with a JSON-RPC error produces one of these (mapped from
 * steemd's fc exception `data.name` / `data.code` / message); only `NodeUnreachable` means no node
 * answered at all.
 */

// A WIF private key: base58, 51 characters, starting with 5H/5J/5K. Never let one into a message.
const WIF_PATTERN = /\b5[HJK][1-9A-HJ-NP-Za-km-z]{49}\b/g;

export function redactKeys(text: string): string {
  return text.replace(WIF_PATTERN, '[redacted key]');
}

export class ChainError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(redactKeys(message));
    this.code = code;
    this.name = new.target.name;
  }
}

/** What the node said, for logs and receipts. */
export interface RpcErrorDetails {
  /** fc exception code (e.g. 10 for assert_exception, 4030100 for expiration). */
  fcCode?: number;
  /** fc exception name (e.g. `assert_exception`). */
  fcName?: string;
  node?: string;
}

export class ChainRpcError extends ChainError {
  readonly details: RpcErrorDetails;
  constructor(message: string, details: RpcErrorDetails = {}, code = 'CHAIN_RPC_ERROR') {
    super(code, message);
    this.details = details;
  }
}

/** The same transaction id was already applied and has not expired yet: it was accepted before. */
export class DuplicateTransaction extends ChainRpcError {
  constructor(message: string, details?: RpcErrorDetails) {
    super(message, details, 'DUPLICATE_TRANSACTION');
  }
}
export class TransactionExpired extends ChainRpcError {
  constructor(message: string, details?: RpcErrorDetails) {
    super(message, details, 'TRANSACTION_EXPIRED');
  }
}
export class TaposMismatch extends ChainRpcError {
  constructor(message: string, details?: RpcErrorDetails) {
    super(message, details, 'TAPOS_MISMATCH');
  }
}
export class InsufficientFunds extends ChainRpcError {
  constructor(message: string, details?: RpcErrorDetails) {
    super(message, details, 'INSUFFICIENT_FUNDS');
  }
}
export class MissingAuthority extends ChainRpcError {
  constructor(message: string, details?: RpcErrorDetails) {
    super(message, details, 'MISSING_AUTHORITY');
  }
}
export class UnknownAccount extends ChainRpcError {
  constructor(message: string, details?: RpcErrorDetails) {
    super(message, details, 'UNKNOWN_ACCOUNT');
  }
}

/** Every configured node failed with a network error or timeout. */
export class NodeUnreachable extends ChainError {
  readonly failures: { node: string; error: string }[];
  constructor(failures: { node: string; error: string }[]) {
    super('NODE_UNREACHABLE', `no Steem node reachable (${failures.map((f) => `${f.node}: ${f.error}`).join('; ')})`);
    this.failures = failures;
  }
}

/** Invalid input detected before anything was sent (bad key, bad expiration, bad arguments). */
export class ChainUsageError extends ChainError {
  constructor(message: string) {
    super('CHAIN_USAGE', message);
  }
}

/** steemd exception names and codes (S protocol/exceptions.hpp, chain/database_exceptions.hpp). */
const MISSING_AUTHORITY_CODES = new Set([3010000, 3020000, 3030000, 3040000]);

/**
 * Maps what dsteem reports for a JSON-RPC error (`VError` named RPCError whose info is `error.data`)
 * onto a typed error. The message is dsteem's rendering of `data.stack[0].format`.
 */
export function mapRpcError(message: string, data: { code?: unknown; name?: unknown } | undefined, node?: string): ChainRpcError {
  const details: RpcErrorDetails = {
    fcCode: typeof data?.code === 'number' ? data.code : undefined,
    fcName: typeof data?.name === 'string' ? data.name : undefined,
    node,
  };
  const name = details.fcName ?? '';
  const code = details.fcCode;
  if (/Duplicate transaction check failed|Transaction is a duplicate/.test(message)) return new DuplicateTransaction(message, details);
  if (name === 'transaction_expiration_exception' || code === 4030100) return new TransactionExpired(message, details);
  if (name === 'transaction_tapos_exception' || code === 4030200) return new TaposMismatch(message, details);
  if (/^tx_missing_\w+_auth$/.test(name) || (code !== undefined && MISSING_AUTHORITY_CODES.has(code))) {
    return new MissingAuthority(message, details);
  }
  if (/Insufficient (STEEM|SBD|VESTS) funds|does not have sufficient funds/.test(message)) return new InsufficientFunds(message, details);
  // chainbase throws std::out_of_range("unknown key") when an account lookup misses.
  if (/unknown key|Account .* does not exist|Unknown account/i.test(message)) return new UnknownAccount(message, details);
  return new ChainRpcError(message, details);
}
