/**
 * The rshares a vote adds (§2.3, §1.7): the mana used minus the vote dust (HF20 subtracts it from
 * every vote), scaled down linearly inside the last 12 hours before payout, signed like the weight.
 */
export function voteRshares(props: {
  manaUsed: bigint;
  weight: number;
  voteDustThreshold: bigint;
  secondsUntilPayout: number;
  upvoteLockoutSeconds: number;
}): bigint {
  let rshares = props.manaUsed - props.voteDustThreshold;
  if (rshares < 0n) rshares = 0n;
  if (props.weight < 0) rshares = -rshares;
  if (props.secondsUntilPayout < props.upvoteLockoutSeconds) {
    // steemd applies the lockout scaling to the signed value, truncating toward zero.
    rshares = (rshares * BigInt(Math.max(0, props.secondsUntilPayout))) / BigInt(props.upvoteLockoutSeconds);
  }
  return rshares;
}
