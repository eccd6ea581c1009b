import { isValidSteemAccountName } from '../domain/accounts';
import { toChainAccount, type ChainAccount } from './accounts';
import { ChainRpcError, ChainUsageError, TransactionExpired } from './errors';
import { scanAccountHistory, toHistoryEntry, type HistoryEntry } from './history';
import { NodePool, type ChainLogger, type NodeHealth } from './nodePool';
import type { Operation, SignedTransaction } from './serialization';
import {
  signTransaction,
  type BroadcastResult,
  type FoundTransaction,
  type SignedTransactionResult,
  type SigningKey,
} from './transactions';
import type { AccountJson, BlockJson, GlobalPropertiesJson, HistoryItemJson } from './types';

export interface ChainClientOptions {
  /** Node URLs in order of preference (STEEM_NODES). */
  nodes: string[];
  /** 64 hex characters (STEEM_CHAIN_ID); mainnet is all zeros. */
  chainId: string;
  /** Public key prefix (STEEM_ADDRESS_PREFIX), "STM" on mainnet. */
  addressPrefix: string;
  /** Per-node budget for reads before failing over. */
  timeoutMs: number;
  /** Per-node budget for a synchronous broadcast (it waits for a block); default max(timeoutMs, 15 s). */
  broadcastTimeoutMs?: number;
  /** How long a failed node is kept at the back of the queue; default 30 s. */
  unhealthyCooldownMs?: number;
  clock?: () => number;
  logger?: ChainLogger;
}

export interface ChainClient {
  readonly chainId: string;
  readonly addressPrefix: string;
  getDynamicGlobalProperties(): Promise<GlobalPropertiesJson>;
  /** Accounts that exist, in the order steemd returns them; unknown names are simply absent. */
  getAccounts(names: string[]): Promise<ChainAccount[]>;
  getAccount(name: string): Promise<ChainAccount | null>;
  buildAndSignTransaction(operations: Operation[], privateKeys: SigningKey[], options?: { expirationSeconds?: number }): Promise<SignedTransactionResult>;
  broadcastTransaction(transaction: SignedTransaction): Promise<BroadcastResult>;
  /** condenser_api.get_transaction; null when the node does not know the id. */
  findTransaction(id: string): Promise<FoundTransaction | null>;
  getAccountHistory(account: string, start: number, limit: number): Promise<HistoryEntry[]>;
  scanAccountHistory(account: string, options?: { pageSize?: number; sinceSeq?: number }): AsyncGenerator<HistoryEntry>;
  isIrreversible(blockNum: number): Promise<boolean>;
  getBlock(blockNum: number): Promise<BlockJson | null>;
  /** Any other condenser_api call, with the same failover and error mapping. */
  call<T>(method: string, params: unknown[]): Promise<T>;
  nodeHealth(): NodeHealth[];
}

export function createChainClient(options: ChainClientOptions): ChainClient {
  if (!/^[0-9a-fA-F]{64}$/.test(options.chainId)) throw new ChainUsageError('chainId must be 64 hex characters');
  const chainIdBytes = Buffer.from(options.chainId, 'hex');
  const pool = new NodePool({
    nodes: options.nodes,
    chainId: options.chainId,
    addressPrefix: options.addressPrefix,
    timeoutMs: options.timeoutMs,
    broadcastTimeoutMs: options.broadcastTimeoutMs ?? Math.max(options.timeoutMs, 15_000),
    unhealthyCooldownMs: options.unhealthyCooldownMs ?? 30_000,
    clock: options.clock ?? Date.now,
    logger: options.logger,
  });
  const call = <T>(method: string, params: unknown[]) => pool.call<T>('condenser_api', method, params);

  const getDynamicGlobalProperties = () => call<GlobalPropertiesJson>('get_dynamic_global_properties', []);

  const getAccounts = async (names: string[]) => {
    // A name steemd's rule refuses cannot exist on chain: it is absent without a round trip.
    const possible = names.filter(isValidSteemAccountName);
    if (possible.length === 0) return [];
    const accounts = await call<AccountJson[]>('get_accounts', [possible]);
    return accounts.map(toChainAccount);
  };

  const getAccountHistory = async (account: string, start: number, limit: number) => {
    const items = await call<[number, HistoryItemJson][]>('get_account_history', [account, start, limit]);
    return items.map(toHistoryEntry);
  };

  return {
    chainId: options.chainId,
    addressPrefix: options.addressPrefix,
    getDynamicGlobalProperties,
    getAccounts,
    async getAccount(name) {
      const [account] = await getAccounts([name]);
      return account && account.name === name ? account : null;
    },
    async buildAndSignTransaction(operations, privateKeys, { expirationSeconds = 60 } = {}) {
      const properties = await getDynamicGlobalProperties();
      return signTransaction(properties, operations, privateKeys, chainIdBytes, expirationSeconds);
    },
    async broadcastTransaction(transaction) {
      // Re-sending the same signed bytes to another node is safe: same id, and steemd rejects the
      // second copy as a duplicate until expiration (docs/payouts.md, "Exactly once").
      const result = await pool.call<{ id: string; block_num: number; trx_num: number; expired: boolean }>(
        'condenser_api',
        'broadcast_transaction_synchronous',
        [transaction],
        'broadcast',
      );
      if (result.expired) throw new TransactionExpired(`transaction ${result.id} expired before inclusion`);
      return { id: result.id, blockNum: result.block_num, trxNum: result.trx_num };
    },
    async findTransaction(id) {
      try {
        const found = await call<SignedTransaction & { transaction_id: string; block_num: number; transaction_num: number }>(
          'get_transaction',
          [id],
        );
        const { transaction_id, block_num, transaction_num, ...transaction } = found;
        return { id: transaction_id, blockNum: block_num, trxNum: transaction_num, transaction };
      } catch (error) {
        if (error instanceof ChainRpcError && /Unknown Transaction/.test(error.message)) return null;
        throw error;
      }
    },
    getAccountHistory,
    scanAccountHistory: (account, scanOptions) => scanAccountHistory(getAccountHistory, account, scanOptions),
    async isIrreversible(blockNum) {
      const properties = await getDynamicGlobalProperties();
      return blockNum <= properties.last_irreversible_block_num;
    },
    async getBlock(blockNum) {
      return (await call<BlockJson | null>('get_block', [blockNum])) ?? null;
    },
    call,
    nodeHealth: () => pool.health(),
  };
}
