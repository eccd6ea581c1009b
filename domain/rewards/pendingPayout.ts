import { authorCurve } from './curve';
import { curationWeightOfVote } from './curationWeight';
import type { RewardPolicy } from './policy';
import type { RewardFund } from './rewardFund';
import type { Beneficiary } from './settleBatch';

export interface PendingPayout {
  total: bigint;
  author: bigint;
  curators: bigint;
  beneficiaries: bigint;
}

/**
 * What a post would pay now, as steemd's condenser_api shows it (§1.13): balance·f(net)/claims,
 * ignoring dust, the cap and the claims of posts settling with it. An estimate, labelled so.
 */
export function pendingPayout(props: {
  netRshares: bigint;
  fund: Pick<RewardFund, 'rewardBalance' | 'recentClaims'>;
  beneficiaries: Beneficiary[];
  declined: boolean;
  policy: RewardPolicy;
}): PendingPayout {
  const claims = authorCurve(props.netRshares, props.policy.contentConstant);
  const total = props.declined || claims === 0n || props.fund.recentClaims <= 0n ? 0n : (props.fund.rewardBalance * claims) / props.fund.recentClaims;
  const curators = (total * BigInt(props.policy.curationPercent)) / 10000n;
  const authorTokens = total - curators;
  const beneficiaries = props.beneficiaries.reduce((sum, b) => sum + (authorTokens * BigInt(b.weight)) / 10000n, 0n);
  return { total, author: authorTokens - beneficiaries, curators, beneficiaries };
}

/** What a prospective upvote of `rshares` would earn its voter if the post paid out now. */
export function curationEstimate(props: {
  rshares: bigint;
  netRshares: bigint;
  voteRshares: bigint;
  totalVoteWeight: bigint;
  secondsSinceCreation: number;
  fund: Pick<RewardFund, 'rewardBalance' | 'recentClaims'>;
  allowCurationRewards: boolean;
  policy: RewardPolicy;
}): bigint {
  if (props.rshares <= 0n || !props.allowCurationRewards) return 0n;
  const weight = curationWeightOfVote({
    voteRsharesBefore: props.voteRshares,
    rshares: props.rshares,
    secondsSinceCreation: props.secondsSinceCreation,
    reverseAuctionSeconds: props.policy.reverseAuctionSeconds,
    contentConstant: props.policy.contentConstant,
  });
  const after = pendingPayout({ netRshares: props.netRshares + props.rshares, fund: props.fund, beneficiaries: [], declined: false, policy: props.policy });
  const total = props.totalVoteWeight + weight.raw;
  return total > 0n ? (after.curators * weight.weight) / total : 0n;
}
