import { formatAsset } from '../../domain/money';
import { MAX_ACCOUNT_NAME_LENGTH, MIN_ACCOUNT_NAME_LENGTH } from '../../domain/accounts';
import { FC, FcError, fcAssert, JSON_RPC_ERROR_DURING_CALL, JSON_RPC_METHOD_NOT_FOUND } from './fcErrors';
import { ACCOUNT_CREATION_FEE, BLOCK_INTERVAL_SECONDS, blockHeaderJson, blockJson, chainTime, MAXIMUM_BLOCK_SIZE, type Ledger } from './ledger';
import type { AccountState } from './state';

/** What the API layer needs from the running devnet besides the ledger. */
export interface DevnetControl {
  ledger: Ledger;
  signingKey: string;
  /** Accepts a transaction; resolves once it is in a block. */
  broadcastSynchronous(tx: unknown): Promise<{ id: string; block_num: number; trx_num: number; expired: boolean }>;
  broadcast(tx: unknown): void;
  createAccount(request: Record<string, unknown>): { name: string; keys?: Record<string, string> };
  fund(name: string, amount: string): void;
  produceBlocks(count: number): number;
  setFaults(faults: Record<string, unknown>): void;
}

type Method = (control: DevnetControl, params: unknown[]) => unknown;

// condenser_api's CHECK_ARG_SIZE: the literal "#s" is in steemd's message too.
function checkArgs(params: unknown[], count: number): void {
  fcAssert(params.length === count, 'args.size() == s', 'Expected #s argument(s), was ${n}', { n: params.length }, JSON_RPC_ERROR_DURING_CALL);
}

const NO_TIME = '1970-01-01T00:00:00';

function accountJson(account: AccountState, ledger: Ledger) {
  const vests = formatAsset(account.vesting_shares, 'VESTS');
  const headTime = chainTime(ledger.head.timestamp);
  return {
    id: account.id,
    name: account.name,
    owner: account.owner,
    active: account.active,
    posting: account.posting,
    memo_key: account.memo_key,
    json_metadata: account.json_metadata,
    posting_json_metadata: '',
    proxy: '',
    last_owner_update: NO_TIME,
    last_account_update: NO_TIME,
    created: account.created,
    mined: false,
    recovery_account: 'initminer',
    last_account_recovery: NO_TIME,
    reset_account: 'null',
    comment_count: 0,
    lifetime_vote_count: 0,
    post_count: 0,
    can_vote: true,
    voting_manabar: { current_mana: account.vesting_shares.toString(), last_update_time: ledger.head.timestamp },
    downvote_manabar: { current_mana: (account.vesting_shares / 4n).toString(), last_update_time: ledger.head.timestamp },
    voting_power: 10000,
    balance: formatAsset(account.balance, 'STEEM'),
    savings_balance: '0.000 STEEM',
    sbd_balance: formatAsset(account.sbd_balance, 'SBD'),
    sbd_seconds: '0',
    sbd_seconds_last_update: NO_TIME,
    sbd_last_interest_payment: NO_TIME,
    savings_sbd_balance: '0.000 SBD',
    savings_sbd_seconds: '0',
    savings_sbd_seconds_last_update: NO_TIME,
    savings_sbd_last_interest_payment: NO_TIME,
    savings_withdraw_requests: 0,
    reward_sbd_balance: '0.000 SBD',
    reward_steem_balance: '0.000 STEEM',
    reward_vesting_balance: '0.000000 VESTS',
    reward_vesting_steem: '0.000 STEEM',
    vesting_shares: vests,
    delegated_vesting_shares: '0.000000 VESTS',
    received_vesting_shares: '0.000000 VESTS',
    vesting_withdraw_rate: '0.000000 VESTS',
    next_vesting_withdrawal: '1969-12-31T23:59:59',
    withdrawn: 0,
    to_withdraw: 0,
    withdraw_routes: 0,
    curation_rewards: 0,
    posting_rewards: 0,
    proxied_vsf_votes: [0, 0, 0, 0],
    witnesses_voted_for: 0,
    last_post: NO_TIME,
    last_root_post: NO_TIME,
    last_vote_time: NO_TIME,
    post_bandwidth: 0,
    pending_claimed_accounts: 0,
    vesting_balance: '0.000 STEEM',
    reputation: 0,
    transfer_history: [],
    market_history: [],
    post_history: [],
    vote_history: [],
    other_history: [],
    witness_votes: [],
    tags_usage: [],
    guest_bloggers: [],
    last_bandwidth_update: headTime,
  };
}

function globalProperties(ledger: Ledger) {
  const { supply } = ledger.state;
  const head = ledger.head;
  return {
    id: 0,
    head_block_number: head.num,
    head_block_id: head.id,
    time: chainTime(head.timestamp),
    current_witness: 'initminer',
    total_pow: 0,
    num_pow_witnesses: 0,
    virtual_supply: formatAsset(supply.current, 'STEEM'),
    current_supply: formatAsset(supply.current, 'STEEM'),
    confidential_supply: '0.000 STEEM',
    init_sbd_supply: '0.000 SBD',
    current_sbd_supply: formatAsset(supply.currentSbd, 'SBD'),
    confidential_sbd_supply: '0.000 SBD',
    total_vesting_fund_steem: formatAsset(supply.vestingFundSteem, 'STEEM'),
    total_vesting_shares: formatAsset(supply.vestingShares, 'VESTS'),
    total_reward_fund_steem: '0.000 STEEM',
    total_reward_shares2: '0',
    pending_rewarded_vesting_shares: '0.000000 VESTS',
    pending_rewarded_vesting_steem: '0.000 STEEM',
    sbd_interest_rate: 0,
    sbd_print_rate: 10000,
    maximum_block_size: MAXIMUM_BLOCK_SIZE,
    required_actions_partition_percent: 0,
    current_aslot: head.num,
    recent_slots_filled: '340282366920938463463374607431768211455',
    participation_count: 128,
    last_irreversible_block_num: ledger.lastIrreversibleBlockNum,
    vote_power_reserve_rate: 10,
    delegation_return_period: 432000,
    reverse_auction_seconds: 300,
    available_account_subsidies: 0,
    sbd_stop_percent: 1000,
    sbd_start_percent: 900,
    next_maintenance_time: chainTime(head.timestamp + 3600),
    last_budget_time: chainTime(head.timestamp),
    content_reward_percent: 6500,
    vesting_reward_percent: 1500,
    sps_fund_percent: 1000,
    sps_interval_ledger: '0.000 SBD',
    downvote_pool_percent: 2500,
  };
}

function blockNumber(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new FcError(FC.badCast, 'Invalid cast to uint32', {}, JSON_RPC_ERROR_DURING_CALL);
  }
  return value;
}

const condenserApi: Record<string, Method> = {
  get_dynamic_global_properties: ({ ledger }, params) => {
    checkArgs(params, 0);
    return globalProperties(ledger);
  },
  get_config: ({ ledger }, params) => {
    checkArgs(params, 0);
    return {
      IS_TEST_NET: false,
      STEEM_BLOCKCHAIN_VERSION: '0.23.1',
      STEEM_CHAIN_ID: ledger.state.chainId,
      STEEM_ADDRESS_PREFIX: ledger.state.addressPrefix,
      STEEM_100_PERCENT: 10000,
      STEEM_1_PERCENT: 100,
      STEEM_BLOCK_INTERVAL: BLOCK_INTERVAL_SECONDS,
      STEEM_BLOCKS_PER_DAY: 28800,
      STEEM_MAX_TIME_UNTIL_EXPIRATION: 3600,
      STEEM_MAX_MEMO_SIZE: 2048,
      STEEM_MAX_SIG_CHECK_DEPTH: 2,
      STEEM_MAX_SIG_CHECK_ACCOUNTS: 125,
      STEEM_MAX_AUTHORITY_MEMBERSHIP: 40,
      STEEM_MIN_ACCOUNT_NAME_LENGTH: MIN_ACCOUNT_NAME_LENGTH,
      STEEM_MAX_ACCOUNT_NAME_LENGTH: MAX_ACCOUNT_NAME_LENGTH,
      STEEM_IRREVERSIBLE_THRESHOLD: 7500,
      STEEM_MAX_WITNESSES: 21,
      STEEM_VOTING_MANA_REGENERATION_SECONDS: 432000,
      STEEM_CASHOUT_WINDOW_SECONDS: 604800,
      STEEM_UPVOTE_LOCKOUT_SECONDS: 43200,
      STEEM_REVERSE_AUCTION_WINDOW_SECONDS_HF21: 300,
      STEEM_MIN_VOTE_INTERVAL_SEC: 3,
      STEEM_INIT_MINER_NAME: 'initminer',
      STEEM_SYMBOL: 'STEEM',
      SBD_SYMBOL: 'SBD',
      VESTS_SYMBOL: 'VESTS',
    };
  },
  get_chain_properties: (_control, params) => {
    checkArgs(params, 0);
    return { account_creation_fee: formatAsset(ACCOUNT_CREATION_FEE, 'STEEM'), maximum_block_size: MAXIMUM_BLOCK_SIZE, sbd_interest_rate: 0 };
  },
  get_current_median_history_price: (_control, params) => {
    checkArgs(params, 0);
    return { base: '0.250 SBD', quote: '1.000 STEEM' };
  },
  get_accounts: ({ ledger }, params) => {
    checkArgs(params, 1);
    const names = params[0];
    if (!Array.isArray(names)) throw new FcError(FC.badCast, 'Invalid cast from ${type} to Array', { type: typeof names }, JSON_RPC_ERROR_DURING_CALL);
    return names.flatMap((name) => {
      const account = typeof name === 'string' ? ledger.account(name) : undefined;
      return account ? [accountJson(account, ledger)] : [];
    });
  },
  get_block: ({ ledger, signingKey }, params) => {
    checkArgs(params, 1);
    const block = ledger.state.blocks[blockNumber(params[0]) - 1];
    return block ? blockJson(block, signingKey) : null;
  },
  get_block_header: ({ ledger }, params) => {
    checkArgs(params, 1);
    const block = ledger.state.blocks[blockNumber(params[0]) - 1];
    return block ? blockHeaderJson(block) : null;
  },
  get_transaction: ({ ledger }, params) => {
    checkArgs(params, 1);
    const id = String(params[0]);
    const location = ledger.state.transactionIndex[id];
    fcAssert(Boolean(location), 'false', 'Unknown Transaction ${t}', { t: id }, JSON_RPC_ERROR_DURING_CALL);
    const [blockNum, trxNum] = location;
    const { transaction } = ledger.state.blocks[blockNum - 1].transactions[trxNum];
    return { ...transaction, transaction_id: id, block_num: blockNum, transaction_num: trxNum };
  },
  get_account_history: ({ ledger }, params) => {
    checkArgs(params, 3);
    const [name, startParam, limitParam] = params as [string, number, number];
    const limit = Number(limitParam);
    // start is a uint64 in steemd: -1 (and any negative) means "the newest entry".
    const start = Number(startParam) < 0 ? Number.MAX_SAFE_INTEGER : Number(startParam);
    fcAssert(limit <= 10000, 'args.limit <= 10000', 'limit of ${l} is greater than maxmimum allowed', { l: limit }, JSON_RPC_ERROR_DURING_CALL);
    fcAssert(start >= limit, 'args.start >= args.limit', 'start must be greater than limit', {}, JSON_RPC_ERROR_DURING_CALL);
    const history = ledger.account(name)?.history ?? [];
    if (history.length === 0) return [];
    // rocksdb backend: seek to the newest sequence ≤ start, then walk back `limit` more (limit + 1 entries).
    const newest = Math.min(start, history.length - 1);
    const oldest = newest > limit ? newest - limit : 0;
    return history.slice(oldest, newest + 1).map((item, offset) => [oldest + offset, item]);
  },
  get_reward_fund: ({ ledger }, params) => {
    checkArgs(params, 1);
    fcAssert(params[0] === 'post', 'fund != nullptr', 'Invalid reward fund name', {}, JSON_RPC_ERROR_DURING_CALL);
    return {
      id: 0,
      name: 'post',
      reward_balance: '800000.000 STEEM',
      recent_claims: '500000000000000000',
      last_update: chainTime(ledger.head.timestamp),
      content_constant: '2000000000000',
      percent_curation_rewards: 5000,
      percent_content_rewards: 10000,
      author_reward_curve: 'convergent_linear',
      curation_reward_curve: 'convergent_square_root',
    };
  },
  broadcast_transaction: (control, params) => {
    checkArgs(params, 1);
    control.broadcast(params[0]);
    return {};
  },
  broadcast_transaction_synchronous: (control, params) => {
    checkArgs(params, 1);
    return control.broadcastSynchronous(params[0]);
  },
};

function objectParam(params: unknown[] | Record<string, unknown>): Record<string, unknown> {
  if (Array.isArray(params)) return (params[0] ?? {}) as Record<string, unknown>;
  return params;
}

const devnetApi: Record<string, (control: DevnetControl, params: Record<string, unknown>) => unknown> = {
  create_account: (control, params) => control.createAccount(params),
  fund: (control, { name, amount }) => {
    control.fund(String(name), String(amount));
    return {};
  },
  produce_blocks: (control, { count }) => ({ head_block_number: control.produceBlocks(Number(count ?? 1)) }),
  set_faults: (control, faults) => {
    control.setFaults(faults);
    return {};
  },
};

/**
 * Routes `call` [api, method, params] and `api.method` requests; unknown names fail like steemd.
 * `devnet_api` (accounts and funds from nothing, fault injection) exists only when `controlApi` is on;
 * otherwise it is an unknown API, exactly as on a real node.
 */
export async function dispatch(control: DevnetControl, api: string, method: string, params: unknown, options: { controlApi: boolean } = { controlApi: false }): Promise<unknown> {
  if (api === 'condenser_api') {
    const handler = Object.prototype.hasOwnProperty.call(condenserApi, method) ? condenserApi[method] : undefined;
    fcAssert(Boolean(handler), 'method_itr != api_itr->second.end()', 'Could not find method ${method}', { method }, JSON_RPC_METHOD_NOT_FOUND);
    if (!Array.isArray(params)) throw new FcError(FC.badCast, 'condenser_api params must be an array', {}, JSON_RPC_ERROR_DURING_CALL);
    return handler!(control, params);
  }
  if (api === 'devnet_api' && options.controlApi) {
    const handler = Object.prototype.hasOwnProperty.call(devnetApi, method) ? devnetApi[method] : undefined;
    fcAssert(Boolean(handler), 'method_itr != api_itr->second.end()', 'Could not find method ${method}', { method }, JSON_RPC_METHOD_NOT_FOUND);
    return handler!(control, objectParam(params as unknown[]));
  }
  fcAssert(false, 'api_itr != _registered_apis.end()', 'Could not find API ${api}', { api }, JSON_RPC_METHOD_NOT_FOUND);
}
