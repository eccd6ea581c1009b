import { VoteBatcher, type CastVoteResult, type VoteRequest } from './voteBatch';

export type { CastVoteResult } from './voteBatch';
export { stakeOf } from './voterMana';

const votes = new VoteBatcher();

/**
 * Casts (or changes, or with weight 0 removes) a vote by Steem's rules. Refusals are 422s naming
 * the rule. A voter's votes are decided one at a time, in order; votes arriving together are decided,
 * charged and applied together.
 */
export function castVote(request: VoteRequest): Promise<CastVoteResult> {
  return votes.submit(request);
}
