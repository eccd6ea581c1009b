import { parseAmount } from '../domain/money';
import type { AccountJson, AuthorityJson } from './types';

/** An account with every amount as an integer in the smallest unit (STEEM/SBD 0.001, VESTS 0.000001). */
export interface ChainAccount {
  name: string;
  balance: bigint;
  sbdBalance: bigint;
  savingsBalance: bigint;
  savingsSbdBalance: bigint;
  vestingShares: bigint;
  delegatedVestingShares: bigint;
  receivedVestingShares: bigint;
  /** Stake that votes: see `effectiveVestingShares`. */
  effectiveVestingShares: bigint;
  owner: AuthorityJson;
  active: AuthorityJson;
  posting: AuthorityJson;
  memoKey: string;
}

// steemd prints time_point_sec::min() for "no power-down scheduled".
const NO_WITHDRAWAL = '1969-12-31T23:59:59';

function integer(value: number | string | undefined): bigint {
  return BigInt(String(value ?? 0));
}

/**
 * Effective vesting shares (docs/rewards.md, "Stake (effective vesting shares)"; steemd `hf20_vote_evaluator`): own + received − delegated,
 * minus what the current power-down step will take: min(vesting_withdraw_rate, to_withdraw − withdrawn).
 */
export function effectiveVestingShares(account: AccountJson): bigint {
  const own = parseAmount(account.vesting_shares, 'VESTS');
  const received = parseAmount(account.received_vesting_shares, 'VESTS');
  const delegated = parseAmount(account.delegated_vesting_shares, 'VESTS');
  let poweringDown = 0n;
  const withdrawRate = parseAmount(account.vesting_withdraw_rate, 'VESTS');
  if (withdrawRate > 0n && account.next_vesting_withdrawal !== NO_WITHDRAWAL) {
    const remaining = integer(account.to_withdraw) - integer(account.withdrawn);
    poweringDown = withdrawRate < remaining ? withdrawRate : remaining;
  }
  return own + received - delegated - poweringDown;
}

export function toChainAccount(account: AccountJson): ChainAccount {
  return {
    name: account.name,
    balance: parseAmount(account.balance, 'STEEM'),
    sbdBalance: parseAmount(account.sbd_balance, 'SBD'),
    savingsBalance: parseAmount(account.savings_balance ?? '0.000 STEEM', 'STEEM'),
    savingsSbdBalance: parseAmount(account.savings_sbd_balance ?? '0.000 SBD', 'SBD'),
    vestingShares: parseAmount(account.vesting_shares, 'VESTS'),
    delegatedVestingShares: parseAmount(account.delegated_vesting_shares, 'VESTS'),
    receivedVestingShares: parseAmount(account.received_vesting_shares, 'VESTS'),
    effectiveVestingShares: effectiveVestingShares(account),
    owner: account.owner,
    active: account.active,
    posting: account.posting,
    memoKey: account.memo_key,
  };
}
