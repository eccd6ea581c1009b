/**
 * steemd's errors as they travel over JSON-RPC: an fc exception (code, name, "what" text) with a log
 * stack whose first entry carries the assert's format string and data. dsteem renders its message
 * from `data.stack[0].format`, so these read like mainnet's.
 */

// JSON-RPC codes (S json_rpc_plugin.hpp).
export const JSON_RPC_INVALID_REQUEST = -32600;
export const JSON_RPC_METHOD_NOT_FOUND = -32601;
export const JSON_RPC_PARSE_ERROR = -32700;
// Errors raised while the chain applies a transaction are rethrown by chain_plugin::accept_transaction
// and arrive as a server error; asserts inside an API method arrive as "error during call".
export const JSON_RPC_SERVER_ERROR = -32000;
export const JSON_RPC_ERROR_DURING_CALL = -32003;

export interface FcKind {
  code: number;
  name: string;
  what: string;
}

export const FC = {
  exception: { code: 0, name: 'exception', what: 'unspecified' },
  badCast: { code: 7, name: 'bad_cast_exception', what: 'Bad Cast' },
  assert: { code: 10, name: 'assert_exception', what: 'Assert Exception' },
  // chainbase's std::out_of_range("unknown key") wrapped by FC_CAPTURE_AND_RETHROW.
  outOfRange: { code: 13, name: 'N5boost16exception_detail10clone_implINS0_19error_info_injectorISt12out_of_rangeEEEE', what: 'unknown key' },
  missingActiveAuth: { code: 3010000, name: 'tx_missing_active_auth', what: 'missing required active authority' },
  missingOwnerAuth: { code: 3020000, name: 'tx_missing_owner_auth', what: 'missing required owner authority' },
  missingPostingAuth: { code: 3030000, name: 'tx_missing_posting_auth', what: 'missing required posting authority' },
  irrelevantSig: { code: 3050000, name: 'tx_irrelevant_sig', what: 'irrelevant signature included' },
  duplicateSig: { code: 3060000, name: 'tx_duplicate_sig', what: 'duplicate signature included' },
  expiration: { code: 4030100, name: 'transaction_expiration_exception', what: 'transaction expiration exception' },
  tapos: { code: 4030200, name: 'transaction_tapos_exception', what: 'transaction tapos exception' },
} satisfies Record<string, FcKind>;

export class FcError extends Error {
  constructor(
    readonly kind: FcKind,
    readonly format: string,
    readonly data: Record<string, unknown> = {},
    readonly rpcCode: number = JSON_RPC_SERVER_ERROR,
    readonly where: { file: string; line: number; method: string } = { file: 'database.cpp', line: 0, method: '_apply_transaction' },
  ) {
    super(`${kind.what}:${formatFc(format, data)}`);
  }
}

/** fc::format_string: replaces ${key} with the value (strings without quotes). */
export function formatFc(format: string, data: Record<string, unknown>): string {
  return format.replace(/\$\{([a-zA-Z0-9_.]+)\}/g, (match, key: string) => {
    if (!(key in data)) return match;
    const value = data[key];
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}

/** FC_ASSERT(expr, "message", ...): the format is the stringified expression, ": ", then the message. */
export function fcAssert(condition: boolean, expression: string, message: string, data: Record<string, unknown> = {}, rpcCode?: number): asserts condition {
  if (!condition) throw new FcError(FC.assert, `${expression}: ${message}`, data, rpcCode);
}

export interface JsonRpcErrorBody {
  code: number;
  message: string;
  data?: Record<string, unknown>;
}

export function toJsonRpcError(error: FcError, now: string): JsonRpcErrorBody {
  return {
    code: error.rpcCode,
    message: error.message,
    data: {
      code: error.kind.code,
      name: error.kind.name,
      message: error.kind.what,
      stack: [
        {
          context: { level: 'error', file: error.where.file, line: error.where.line, method: error.where.method, hostname: '', thread_name: 'th_a', timestamp: now },
          format: error.format,
          data: error.data,
        },
      ],
    },
  };
}
