/** Wire shapes of the condenser_api calls Inkwell uses (steemd's legacy JSON). */

export interface AuthorityJson {
  weight_threshold: number;
  account_auths: [string, number][];
  key_auths: [string, number][];
}

export interface GlobalPropertiesJson {
  head_block_number: number;
  head_block_id: string;
  time: string;
  last_irreversible_block_num: number;
  maximum_block_size: number;
  current_supply: string;
  total_vesting_fund_steem: string;
  total_vesting_shares: string;
  [field: string]: unknown;
}

export interface AccountJson {
  name: string;
  owner: AuthorityJson;
  active: AuthorityJson;
  posting: AuthorityJson;
  memo_key: string;
  balance: string;
  sbd_balance: string;
  savings_balance: string;
  savings_sbd_balance: string;
  vesting_shares: string;
  delegated_vesting_shares: string;
  received_vesting_shares: string;
  vesting_withdraw_rate: string;
  next_vesting_withdrawal: string;
  withdrawn: number | string;
  to_withdraw: number | string;
  [field: string]: unknown;
}

export interface HistoryItemJson {
  trx_id: string;
  block: number;
  trx_in_block: number;
  op_in_trx: number;
  virtual_op: number;
  timestamp: string;
  op: [string, Record<string, unknown>];
}

export interface BlockJson {
  previous: string;
  timestamp: string;
  witness: string;
  transaction_merkle_root: string;
  extensions: unknown[];
  witness_signature: string;
  transactions: Record<string, unknown>[];
  block_id: string;
  signing_key: string;
  transaction_ids: string[];
}
