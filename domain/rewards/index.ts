/** Inkwell's reward math: pure, integer, HF21 rules. See docs/rewards.md. */
export * from './constants';
export * from './policy';
export * from './curve';
export * from './approxSqrt';
export * from './curationWeight';
export * from './rewardFund';
export * from './beneficiaries';
export * from './distributeBatchRewards';
export * from './pendingPayout';
