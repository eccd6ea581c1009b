/** Payout planning: pure grouping of ledger entries into payments and payments into transactions. */
export * from './groupPayments';
export * from './packTransactions';
