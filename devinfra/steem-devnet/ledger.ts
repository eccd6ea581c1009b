import { formatAsset, parseAsset } from '../../domain/money';
import { formatChainTime } from '../../chain/serialization';
import { sha256 } from '../../chain/serialization';
import type { AuthorityJson, HistoryItemJson } from '../../chain/types';
import { SignState } from './authority';
import { FC, FcError, fcAssert } from './fcErrors';
import type { AccountState, BlockState, ChainState, StoredTransaction } from './state';
import { checkTransactionShape, signatureKeys, type CheckedTransaction, type DevnetOperation } from './validation';

// steemd constants (S config.hpp)
export const BLOCK_INTERVAL_SECONDS = 3;
const MAX_TIME_UNTIL_EXPIRATION = 3600;
export const MAXIMUM_BLOCK_SIZE = 65536;
export const ACCOUNT_CREATION_FEE = 3000n; // 3.000 STEEM, the current witness median on mainnet
const ZERO_ID = '0'.repeat(40);
const TAPOS_SLOTS = 0x10000;

export interface AppliedTransaction {
  id: string;
  blockNum: number;
  trxNum: number;
}

export interface LedgerOptions {
  clock: () => number;
  irreversibleLag: number;
  onBlock: (block: BlockState) => void;
}

function chainTime(seconds: number): string {
  return formatChainTime(seconds * 1000);
}

/**
 * The devnet's chain state machine: applies transactions the way steemd's `_apply_transaction`
 * does (validate, dupe check, authority, TaPoS, expiration, then the operations, all or nothing)
 * and produces blocks that carry them.
 */
export class Ledger {
  private pending: { checked: CheckedTransaction; appliedAt: number }[] = [];
  private readonly blockListeners = new Set<(block: BlockState) => void>();

  constructor(
    readonly state: ChainState,
    private readonly options: LedgerOptions,
  ) {}

  get head(): BlockState {
    return this.state.blocks[this.state.blocks.length - 1];
  }

  get lastIrreversibleBlockNum(): number {
    return Math.max(0, this.head.num - this.options.irreversibleLag);
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  onNextBlock(listener: (block: BlockState) => void): () => void {
    this.blockListeners.add(listener);
    return () => this.blockListeners.delete(listener);
  }

  account(name: string): AccountState | undefined {
    return Object.prototype.hasOwnProperty.call(this.state.accounts, name) ? this.state.accounts[name] : undefined;
  }

  /** chainbase `get` on a missing account throws std::out_of_range("unknown key"). */
  private requireAccount(name: string): AccountState {
    const account = this.account(name);
    if (!account) throw new FcError(FC.outOfRange, 'unknown key', {}, undefined, { file: 'chainbase.hpp', line: 0, method: 'get' });
    return account;
  }

  /** Validates and applies a transaction to the pending state; it goes into the next block. */
  pushTransaction(json: unknown): CheckedTransaction {
    const checked = checkTransactionShape(json);
    const { id } = checked;
    fcAssert(checked.size <= MAXIMUM_BLOCK_SIZE - 256, 'trx_size <= (get_dynamic_global_properties().maximum_block_size - 256)', 'Transaction too large', {});
    fcAssert(
      !(id in this.state.recentTransactions),
      '(skip & skip_transaction_dupe_check) || trx_idx.indices().get<by_trx_id>().find(trx_id) == trx_idx.indices().get<by_trx_id>().end()',
      'Duplicate transaction check failed',
      { trx_ix: id },
    );
    this.verifyAuthority(checked);
    this.verifyTapos(checked);
    this.verifyExpiration(checked);
    this.applyAtomically(checked.operations);
    this.state.recentTransactions[id] = checked.expiration;
    this.pending.push({ checked, appliedAt: this.head.num });
    return checked;
  }

  /** Transfers, power-ups and account creation all need the active authority of the paying account. */
  private verifyAuthority(checked: CheckedTransaction): void {
    const required = new Set<string>();
    for (const [, body] of checked.operations) {
      required.add('from' in body ? body.from : body.creator);
    }
    const keys = signatureKeys(checked.transaction, Buffer.from(this.state.chainId, 'hex'), this.state.addressPrefix);
    const getActive = (name: string) => this.requireAccount(name).active;
    const getOwner = (name: string) => this.requireAccount(name).owner;
    const signState = new SignState(keys, getActive);
    for (const account of [...required].sort()) {
      if (!(signState.checkAccount(account) || signState.check(getOwner(account)))) {
        throw new FcError(FC.missingActiveAuth, 'Missing Active Authority ${id}', { id: account, auth: getActive(account), owner: getOwner(account) }, undefined, {
          file: 'transaction_util.hpp',
          line: 0,
          method: 'verify_authority',
        });
      }
    }
    if (signState.hasUnusedSignatures()) {
      throw new FcError(FC.irrelevantSig, 'Unnecessary signature(s) detected', {}, undefined, { file: 'transaction_util.hpp', line: 0, method: 'verify_authority' });
    }
  }

  /** The block summary slot `ref_block_num` holds the newest block with that low 16-bit number. */
  private verifyTapos({ transaction: tx }: CheckedTransaction): void {
    const head = this.head.num;
    const referenced = head - ((((head & 0xffff) - tx.ref_block_num) % TAPOS_SLOTS) + TAPOS_SLOTS) % TAPOS_SLOTS;
    const summary = referenced >= 1 ? this.state.blocks[referenced - 1].id : ZERO_ID;
    const expected = Buffer.from(summary, 'hex').readUInt32LE(4);
    if (tx.ref_block_prefix !== expected) {
      throw new FcError(FC.tapos, '', { 'trx.ref_block_prefix': tx.ref_block_prefix, tapos_block_summary: expected });
    }
  }

  private verifyExpiration({ transaction: tx, expiration }: CheckedTransaction): void {
    const now = this.head.timestamp;
    if (expiration > now + MAX_TIME_UNTIL_EXPIRATION) {
      throw new FcError(FC.expiration, '', { 'trx.expiration': tx.expiration, now: chainTime(now), max_til_exp: MAX_TIME_UNTIL_EXPIRATION });
    }
    if (!(now < expiration)) throw new FcError(FC.expiration, '', { now: chainTime(now), 'trx.exp': tx.expiration });
  }

  /** steemd applies a transaction in an undo session: a failing operation rolls back the earlier ones. */
  private applyAtomically(operations: DevnetOperation[]): void {
    const undo: (() => void)[] = [];
    try {
      for (const operation of operations) this.applyOperation(operation, undo);
    } catch (error) {
      for (const step of undo.reverse()) step();
      throw error;
    }
  }

  private adjustBalance(account: AccountState, symbol: 'STEEM' | 'SBD', delta: bigint, undo: (() => void)[]): void {
    const field = symbol === 'STEEM' ? 'balance' : 'sbd_balance';
    const next = account[field] + delta;
    // S database.cpp adjust_balance
    fcAssert(next >= 0n, symbol === 'STEEM' ? 'acnt.balance.amount.value >= 0' : 'acnt.sbd_balance.amount.value >= 0', `Insufficient ${symbol} funds`);
    const before = account[field];
    account[field] = next;
    undo.push(() => (account[field] = before));
  }

  /** S database.cpp create_vesting: STEEM becomes VESTS at the current vesting share price. */
  private createVesting(account: AccountState, steem: bigint, undo: (() => void)[]): bigint {
    const supply = this.state.supply;
    const vests = supply.vestingFundSteem === 0n || supply.vestingShares === 0n ? steem * 1000n : (steem * supply.vestingShares) / supply.vestingFundSteem;
    const before = { shares: account.vesting_shares, fund: supply.vestingFundSteem, total: supply.vestingShares };
    account.vesting_shares += vests;
    supply.vestingFundSteem += steem;
    supply.vestingShares += vests;
    undo.push(() => {
      account.vesting_shares = before.shares;
      supply.vestingFundSteem = before.fund;
      supply.vestingShares = before.total;
    });
    return vests;
  }

  private applyOperation([name, body]: DevnetOperation, undo: (() => void)[]): void {
    switch (name) {
      case 'transfer': {
        const amount = parseAsset(body.amount);
        fcAssert(amount.symbol === 'SBD' || body.to !== 'steem.dao', "o.amount.symbol == SBD_SYMBOL || o.to != STEEM_TREASURY_ACCOUNT", 'Can only transfer SBD to ${s}', { s: 'steem.dao' });
        const from = this.requireAccount(body.from);
        this.adjustBalance(from, amount.symbol as 'STEEM' | 'SBD', -amount.amount, undo);
        this.adjustBalance(this.requireAccount(body.to), amount.symbol as 'STEEM' | 'SBD', amount.amount, undo);
        return;
      }
      case 'transfer_to_vesting': {
        const from = this.requireAccount(body.from);
        const to = body.to ? this.requireAccount(body.to) : from;
        const amount = parseAsset(body.amount).amount;
        this.adjustBalance(from, 'STEEM', -amount, undo);
        this.createVesting(to, amount, undo);
        return;
      }
      case 'account_create': {
        const creator = this.requireAccount(body.creator);
        const fee = parseAsset(body.fee).amount;
        fcAssert(creator.balance >= fee, 'creator.balance >= o.fee', 'Insufficient balance to create account.', {
          'creator.balance': formatAsset(creator.balance, 'STEEM'),
          required: body.fee,
        });
        fcAssert(fee >= ACCOUNT_CREATION_FEE, 'o.fee >= wso.median_props.account_creation_fee', 'Insufficient Fee: ${f} required, ${p} provided.', {
          f: formatAsset(ACCOUNT_CREATION_FEE, 'STEEM'),
          p: body.fee,
        });
        fcAssert(!this.account(body.new_account_name), 'new_account == nullptr', 'Account ${a} already exists', { a: body.new_account_name });
        for (const authority of [body.owner, body.active, body.posting]) {
          for (const [name] of authority.account_auths) {
            fcAssert(Boolean(this.account(name)), 'acc != nullptr', 'Account ${a} in authority does not exist', { a: name });
          }
        }
        this.adjustBalance(creator, 'STEEM', -fee, undo);
        const account = this.insertAccount(body.new_account_name, { owner: body.owner, active: body.active, posting: body.posting, memoKey: body.memo_key, jsonMetadata: body.json_metadata });
        undo.push(() => delete this.state.accounts[account.name]);
        // Since HF20 the creation fee is converted to the new account's vesting shares.
        this.createVesting(account, fee, undo);
        return;
      }
    }
  }

  insertAccount(name: string, keys: { owner: AuthorityJson; active: AuthorityJson; posting: AuthorityJson; memoKey: string; jsonMetadata?: string }): AccountState {
    const account: AccountState = {
      id: this.state.nextAccountId++,
      name,
      owner: keys.owner,
      active: keys.active,
      posting: keys.posting,
      memo_key: keys.memoKey,
      json_metadata: keys.jsonMetadata ?? '',
      created: chainTime(this.head?.timestamp ?? Math.floor(this.options.clock() / 1000)),
      balance: 0n,
      sbd_balance: 0n,
      vesting_shares: 0n,
      history: [],
    };
    this.state.accounts[name] = account;
    return account;
  }

  /** Devnet faucet: mints liquid STEEM or SBD into an account. */
  mint(name: string, amount: bigint, symbol: 'STEEM' | 'SBD'): void {
    const account = this.requireAccount(name);
    if (symbol === 'STEEM') {
      account.balance += amount;
      this.state.supply.current += amount;
    } else {
      account.sbd_balance += amount;
      this.state.supply.currentSbd += amount;
    }
  }

  /** Block timestamps sit on the 3-second slot grid, never behind the clock by a full slot. */
  private nextTimestamp(): number {
    const previous = this.head.timestamp;
    const now = Math.floor(this.options.clock() / 1000);
    const slots = Math.max(1, Math.floor((now - previous) / BLOCK_INTERVAL_SECONDS));
    return previous + slots * BLOCK_INTERVAL_SECONDS;
  }

  produceBlock(): BlockState {
    const num = this.head.num + 1;
    const timestamp = this.nextTimestamp();
    const transactions: StoredTransaction[] = this.pending.map(({ checked }) => ({ id: checked.id, transaction: checked.transaction }));
    const block = makeBlock(num, this.head.id, timestamp, transactions);
    this.pending = [];
    this.state.blocks.push(block);
    transactions.forEach(({ id, transaction }, trxNum) => {
      this.state.transactionIndex[id] = [num, trxNum];
      transaction.operations.forEach((operation, opInTrx) => {
        const item: HistoryItemJson = {
          trx_id: id,
          block: num,
          trx_in_block: trxNum,
          op_in_trx: opInTrx,
          virtual_op: 0,
          timestamp: chainTime(timestamp),
          op: operation as HistoryItemJson['op'],
        };
        for (const name of impactedAccounts(operation as DevnetOperation)) this.account(name)?.history.push(item);
      });
    });
    // S database.cpp clear_expired_transactions: ids leave the dupe index once head time passes them.
    for (const [id, expiration] of Object.entries(this.state.recentTransactions)) {
      if (timestamp > expiration) delete this.state.recentTransactions[id];
    }
    this.options.onBlock(block);
    for (const listener of [...this.blockListeners]) listener(block);
    return block;
  }
}

function impactedAccounts([name, body]: DevnetOperation): string[] {
  const names = name === 'account_create' ? [body.creator, body.new_account_name] : [body.from, body.to || body.from];
  return [...new Set(names)];
}

export function makeBlock(num: number, previous: string, timestamp: number, transactions: StoredTransaction[]): BlockState {
  const digest = sha256(Buffer.from(JSON.stringify([previous, timestamp, transactions.map((t) => t.id)])));
  // A block id is 20 bytes whose first 4 are the block number, big-endian.
  const id = Buffer.concat([Buffer.from(num.toString(16).padStart(8, '0'), 'hex'), digest.subarray(0, 16)]).toString('hex');
  return { num, id, previous, timestamp, transactions };
}

export function blockHeaderJson(block: BlockState) {
  const merkleRoot = block.transactions.length === 0 ? ZERO_ID : sha256(Buffer.from(block.transactions.map((t) => t.id).join(''), 'hex')).subarray(0, 20).toString('hex');
  return {
    previous: block.previous,
    timestamp: chainTime(block.timestamp),
    witness: 'initminer',
    transaction_merkle_root: merkleRoot,
    extensions: [],
  };
}

export function blockJson(block: BlockState, signingKey: string) {
  return {
    ...blockHeaderJson(block),
    witness_signature: '1f' + '0'.repeat(128),
    transactions: block.transactions.map(({ transaction }) => transaction),
    block_id: block.id,
    signing_key: signingKey,
    transaction_ids: block.transactions.map(({ id }) => id),
  };
}

export { chainTime };
