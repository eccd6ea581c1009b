import type { AddressInfo } from 'node:net';
import { toAmount } from '../../domain/money';
import { PrivateKey, randomPrivateKey, tryParsePublicKey } from '../../chain/keys';
import { sha256, transactionId, unsignedPart, type SignedTransaction } from '../../chain/serialization';
import type { AuthorityJson } from '../../chain/types';
import type { DevnetControl } from './api';
import { FC, FcError, JSON_RPC_ERROR_DURING_CALL } from './fcErrors';
import { BLOCK_INTERVAL_SECONDS, Ledger, makeBlock } from './ledger';
import { createRpcServer, NO_FAULTS, type DevnetFaults } from './server';
import { loadState, saveState, type ChainState } from './state';
import { isValidAccountName } from './validation';

/** The devnet's default chain id, sha256("inkwell-devnet"): never mainnet's all-zero id, so devnet signatures cannot replay there. */
export const DEVNET_CHAIN_ID = sha256('inkwell-devnet').toString('hex');
export const DEFAULT_TREASURY = { name: 'inkwell-treasury', balance: '1000000.000 STEEM' };

export interface DevnetOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  chainId?: string;
  addressPrefix?: string;
  /** Block production cadence; 0 or null produces blocks only on demand (and for each broadcast). */
  blockIntervalMs?: number | null;
  /** last_irreversible_block_num = head − irreversibleLag. */
  irreversibleLag?: number;
  treasury?: { name: string; balance: string | bigint };
  /** JSON file the chain is written to after every block and read back on start. */
  stateFile?: string;
  clock?: () => number;
  /** Source of randomness for fault probabilities. */
  random?: () => number;
  /**
   * Serve `devnet_api` over HTTP (create accounts, fund them from nothing, produce blocks, inject
   * faults). Only ever on a devnet bound to loopback: the default is on for a loopback `host` and off
   * otherwise, and asking for it on another interface is refused. The in-process methods of `Devnet`
   * (`createAccount`, `fund`, ...) are unaffected.
   */
  controlApi?: boolean;
}

/** 127.0.0.0/8, ::1 and localhost: addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host) || /^::ffff:127(\.\d{1,3}){3}$/i.test(host);
}

export type AuthorityInput = string | AuthorityJson;

export interface CreateAccountOptions {
  name: string;
  /** Public keys or full authorities; roles left out get a fresh key whose WIF is returned. */
  keys?: Partial<Record<'owner' | 'active' | 'posting', AuthorityInput>> & { memo?: string };
  /** Liquid STEEM: an asset string or an amount in 0.001 STEEM. */
  balance?: string | bigint;
}

export interface CreatedAccount {
  name: string;
  /** WIFs of the keys the devnet generated (roles given as input are absent). */
  keys: Partial<Record<'owner' | 'active' | 'posting' | 'memo', string>>;
}

export interface Devnet {
  url: string;
  port: number;
  chainId: string;
  addressPrefix: string;
  treasury: { name: string; activeKey: string };
  /** Whether `devnet_api` is served over HTTP. */
  controlApi: boolean;
  produceBlocks(count?: number): number;
  createAccount(options: CreateAccountOptions): CreatedAccount;
  fund(name: string, amount: string | bigint): void;
  setFaults(faults: Partial<DevnetFaults>): void;
  headBlockNumber(): number;
  stop(): Promise<void>;
}

function singleKeyAuthority(publicKey: string): AuthorityJson {
  return { weight_threshold: 1, account_auths: [], key_auths: [[publicKey, 1]] };
}

function genesisState(options: { chainId: string; addressPrefix: string; treasuryName: string; clock: () => number }): ChainState {
  const start = Math.floor(options.clock() / 1000);
  return {
    version: 1,
    chainId: options.chainId,
    addressPrefix: options.addressPrefix,
    treasury: { name: options.treasuryName, activeKey: randomPrivateKey().toString() },
    // Block 1 exists from the start so every transaction gets TaPoS and expiration checks (steemd skips them at head 0).
    blocks: [makeBlock(1, '0'.repeat(40), start - (start % BLOCK_INTERVAL_SECONDS), [])],
    accounts: {},
    transactionIndex: {},
    recentTransactions: {},
    // Vesting share price close to mainnet's (about 1760 VESTS per STEEM).
    supply: { current: 100_000_000n, currentSbd: 0n, vestingFundSteem: 100_000_000n, vestingShares: 176_000_000_000_000n },
    nextAccountId: 0,
  };
}

export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  const clock = options.clock ?? Date.now;
  const host = options.host ?? '127.0.0.1';
  if (options.controlApi && !isLoopbackHost(host)) {
    throw new Error(`devnet_api is only served on a loopback address, not on ${host}`);
  }
  const controlApi = options.controlApi ?? isLoopbackHost(host);
  const blockIntervalMs = options.blockIntervalMs === undefined ? 3000 : options.blockIntervalMs;
  const treasuryOptions = options.treasury ?? DEFAULT_TREASURY;
  const persist = (state: ChainState) => {
    if (options.stateFile) saveState(options.stateFile, state);
  };

  let state = options.stateFile ? loadState(options.stateFile) : null;
  const fresh = state === null;
  if (state && options.chainId && state.chainId !== options.chainId) {
    throw new Error(`devnet state file ${options.stateFile} belongs to chain ${state.chainId}, not ${options.chainId}`);
  }
  state ??= genesisState({ chainId: options.chainId ?? DEVNET_CHAIN_ID, addressPrefix: options.addressPrefix ?? 'STM', treasuryName: treasuryOptions.name, clock });

  const ledger = new Ledger(state, { clock, irreversibleLag: options.irreversibleLag ?? 15, onBlock: () => persist(ledger.state) });
  const prefix = state.addressPrefix;

  if (fresh) {
    const initminer = ledger.insertAccount('initminer', { ...roleAuthorities(singleKeyAuthority(randomPrivateKey().createPublic(prefix).toString())), memoKey: randomPrivateKey().createPublic(prefix).toString() });
    initminer.vesting_shares = state.supply.vestingShares;
    const treasuryPublic = PrivateKey.fromString(state.treasury.activeKey).createPublic(prefix).toString();
    ledger.insertAccount(treasuryOptions.name, { ...roleAuthorities(singleKeyAuthority(treasuryPublic)), memoKey: treasuryPublic });
    ledger.mint(treasuryOptions.name, toAmount(treasuryOptions.balance, 'STEEM'), 'STEEM');
    persist(state);
  }

  let faults: DevnetFaults = { ...NO_FAULTS };
  const inFlight = new Set<string>();
  const onDemand = !blockIntervalMs;

  function createAccount({ name, keys = {}, balance }: CreateAccountOptions): CreatedAccount {
    if (!isValidAccountName(name)) throw new Error(`invalid account name ${name}`);
    if (ledger.account(name)) throw new Error(`account ${name} already exists`);
    const generated: CreatedAccount['keys'] = {};
    const authority = (role: 'owner' | 'active' | 'posting'): AuthorityJson => {
      const given = keys[role];
      if (typeof given === 'string') {
        if (!tryParsePublicKey(given)) throw new Error(`invalid ${role} public key`);
        return singleKeyAuthority(given);
      }
      if (given) return given;
      const key = randomPrivateKey();
      generated[role] = key.toString();
      return singleKeyAuthority(key.createPublic(prefix).toString());
    };
    let memoKey = keys.memo;
    if (!memoKey) {
      const key = randomPrivateKey();
      generated.memo = key.toString();
      memoKey = key.createPublic(prefix).toString();
    }
    ledger.insertAccount(name, { owner: authority('owner'), active: authority('active'), posting: authority('posting'), memoKey });
    if (balance !== undefined) ledger.mint(name, toAmount(balance, 'STEEM'), 'STEEM');
    persist(ledger.state);
    return { name, keys: generated };
  }

  function fund(name: string, amount: string | bigint): void {
    if (!ledger.account(name)) throw new Error(`account ${name} does not exist`);
    const symbol = typeof amount === 'string' && amount.endsWith(' SBD') ? 'SBD' : 'STEEM';
    ledger.mint(name, toAmount(amount, symbol), symbol);
    persist(ledger.state);
  }

  function produceBlocks(count = 1): number {
    for (let i = 0; i < count; i++) ledger.produceBlock();
    return ledger.head.num;
  }

  function idOf(tx: unknown): string | null {
    try {
      return transactionId(unsignedPart(tx as SignedTransaction));
    } catch {
      return null;
    }
  }

  const control: DevnetControl = {
    ledger,
    signingKey: ledger.account('initminer')?.active.key_auths[0]?.[0] ?? '',
    async broadcastSynchronous(tx) {
      const id = idOf(tx);
      // condenser_api: a second synchronous broadcast of an id still waiting for its block.
      if (id && inFlight.has(id)) throw new FcError(FC.assert, 'my->_callbacks.find( txid ) == my->_callbacks.end(): Transaction is a duplicate', {}, JSON_RPC_ERROR_DURING_CALL);
      const checked = ledger.pushTransaction(tx);
      inFlight.add(checked.id);
      try {
        const included = onDemand
          ? ledger.produceBlock()
          : await new Promise<ReturnType<Ledger['produceBlock']>>((resolve) => {
              const unsubscribe = ledger.onNextBlock((block) => {
                unsubscribe();
                resolve(block);
              });
            });
        const trxNum = included.transactions.findIndex((t) => t.id === checked.id);
        return { id: checked.id, block_num: included.num, trx_num: trxNum, expired: false };
      } finally {
        inFlight.delete(checked.id);
      }
    },
    broadcast(tx) {
      ledger.pushTransaction(tx);
      if (onDemand) ledger.produceBlock();
    },
    createAccount: (request) => {
      const balance = request.balance;
      return createAccount({
        name: String(request.name),
        keys: (request.keys ?? {}) as CreateAccountOptions['keys'],
        balance: typeof balance === 'string' || typeof balance === 'bigint' ? balance : undefined,
      });
    },
    fund,
    produceBlocks,
    setFaults: (update) => {
      faults = { ...faults, ...(update as Partial<DevnetFaults>) };
    },
  };

  const server = createRpcServer(control, () => faults, options.random, { controlApi });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const timer = blockIntervalMs ? setInterval(() => ledger.produceBlock(), blockIntervalMs) : null;

  return {
    url: `http://${host}:${port}`,
    port,
    chainId: state.chainId,
    addressPrefix: prefix,
    treasury: { name: state.treasury.name, activeKey: state.treasury.activeKey },
    controlApi,
    produceBlocks,
    createAccount,
    fund,
    setFaults: (update) => control.setFaults(update),
    headBlockNumber: () => ledger.head.num,
    async stop() {
      if (timer) clearInterval(timer);
      // Pending transactions already changed balances: seal them into a block so the saved chain is consistent.
      if (ledger.pendingCount > 0) ledger.produceBlock();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function roleAuthorities(authority: AuthorityJson) {
  return { owner: authority, active: authority, posting: authority };
}

export type { DevnetFaults };
