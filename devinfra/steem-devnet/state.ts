import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuthorityJson, HistoryItemJson, SignedTransaction } from '../../chain';

/** Everything the devnet needs to resume its chain; written after every block. */
export interface AccountState {
  id: number;
  name: string;
  owner: AuthorityJson;
  active: AuthorityJson;
  posting: AuthorityJson;
  memo_key: string;
  json_metadata: string;
  created: string;
  balance: bigint;
  sbd_balance: bigint;
  vesting_shares: bigint;
  /** Account history, index = sequence number. */
  history: HistoryItemJson[];
}

export interface StoredTransaction {
  id: string;
  transaction: SignedTransaction;
}

export interface BlockState {
  num: number;
  id: string;
  previous: string;
  /** Seconds since the epoch. */
  timestamp: number;
  transactions: StoredTransaction[];
}

export interface ChainState {
  version: 1;
  chainId: string;
  addressPrefix: string;
  treasury: { name: string; activeKey: string };
  blocks: BlockState[];
  accounts: Record<string, AccountState>;
  /** Transaction id → [block number, index in block]. */
  transactionIndex: Record<string, [number, number]>;
  /** Applied transaction ids not yet expired (steemd's transaction_index), id → expiration seconds. */
  recentTransactions: Record<string, number>;
  supply: {
    current: bigint;
    currentSbd: bigint;
    vestingFundSteem: bigint;
    vestingShares: bigint;
  };
  nextAccountId: number;
}

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? { $bigint: value.toString() } : value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$bigint') return BigInt((value as { $bigint: string }).$bigint);
  }
  return value;
}

/** Atomic: a crash mid-write leaves the previous file intact (write a temp file, then rename). */
export function saveState(file: string, state: ChainState): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state, replacer));
  renameSync(temporary, file);
}

export function loadState(file: string): ChainState | null {
  if (!existsSync(file)) return null;
  const state = JSON.parse(readFileSync(file, 'utf8'), reviver) as ChainState;
  if (state.version !== 1) throw new Error(`unsupported devnet state version in ${file}`);
  return state;
}
