export * from './mana';
export * from './rshares';
export * from './voteRules';
export * from './postTally';
export * from './stakeLinks';
