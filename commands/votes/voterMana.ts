import type { RewardPolicy } from '../../domain/rewards';
import { downvoteManaMax, regenerateMana, type Manabar } from '../../domain/votes';

/** A voter's stake: the linked Steem account's effective vests, else the policy's base stake. */
export function stakeOf(voter: { stakeVests?: string | null }, policy: RewardPolicy): bigint {
  return voter.stakeVests != null ? BigInt(voter.stakeVests) : policy.baseStakeVests;
}

type StoredBar = { current?: string | null; lastUpdate?: number } | null | undefined;

/** A stored manabar; a voter who never voted starts with a full bar. */
export function storedManabar(stored: StoredBar, max: bigint, now: number): Manabar {
  return stored?.current == null ? { currentMana: max, lastUpdateTime: now } : { currentMana: BigInt(stored.current), lastUpdateTime: stored.lastUpdate ?? now };
}

/** The voter's voting and downvote bars regenerated to `now`. */
export function voterManabars(user: { votingMana?: StoredBar; downvoteMana?: StoredBar }, stake: bigint, now: number, policy: RewardPolicy) {
  const downvoteMax = downvoteManaMax(stake, policy.downvotePoolPercent);
  return {
    voting: regenerateMana(storedManabar(user.votingMana, stake, now), stake, now, policy.manaRegenerationSeconds),
    downvote: regenerateMana(storedManabar(user.downvoteMana, downvoteMax, now), downvoteMax, now, policy.manaRegenerationSeconds),
    downvoteMax,
  };
}
