/**
 * Pending-payout *estimates* (docs/rewards.md, "Pending payout estimate"; steemd condenser_api `pending_payout_value`):
 *   estimate = floor(reward_balance · f(net_rshares) / recent_claims)
 * Like steemd it ignores dust and the other posts settling in the same batch; unlike steemd's raw
 * figure, the split below also applies the post's cap/decline so the UI never promises a declined
 * payout (`uncapped` keeps steemd's number). The real amount is only known at settlement.
 */
import type { SteemAmount } from '../money/asset';
import type { Beneficiary } from './beneficiaries';
import { STEEM_100_PERCENT } from './constants';
import { authorCurve } from './curve';
import { curationWeight } from './curationWeight';
import type { RewardPolicy } from './policy';
import type { RewardFundState } from './rewardFund';

type FundSnapshot = Pick<RewardFundState, 'rewardBalance' | 'recentClaims'>;

export interface PendingPayoutEstimate {
  isEstimate: true;
  /** steemd's figure: balance·f(net)/recent_claims. */
  uncapped: SteemAmount;
  /** After max_accepted_payout / decline. */
  total: SteemAmount;
  author: SteemAmount;
  curators: SteemAmount;
  beneficiaries: { account: string; amount: SteemAmount }[];
}

function estimateFromClaims(fund: FundSnapshot, netRshares: bigint, policy: RewardPolicy): SteemAmount {
  const claims = authorCurve(netRshares, policy.contentConstant);
  if (claims === 0n || fund.recentClaims <= 0n) return 0n;
  return (fund.rewardBalance * claims) / fund.recentClaims;
}

export function pendingPayout(props: {
  fund: FundSnapshot;
  policy: RewardPolicy;
  netRshares: bigint;
  beneficiaries?: readonly Beneficiary[];
  maxAcceptedPayout?: SteemAmount;
  declinePayout?: boolean;
}): PendingPayoutEstimate {
  const { policy } = props;
  const uncapped = estimateFromClaims(props.fund, props.netRshares, policy);
  const cap = props.declinePayout ? 0n : (props.maxAcceptedPayout ?? uncapped);
  const total = uncapped < cap ? uncapped : cap;
  const curators = (total * BigInt(policy.curationPercent)) / BigInt(STEEM_100_PERCENT);
  const authorTokens = total - curators;
  const beneficiaries = (props.beneficiaries ?? []).map((b) => ({
    account: b.account,
    amount: (authorTokens * BigInt(b.weight)) / BigInt(STEEM_100_PERCENT),
  }));
  const author = authorTokens - beneficiaries.reduce((sum, b) => sum + b.amount, 0n);
  return { isEstimate: true, uncapped, total, author, curators, beneficiaries };
}

export interface CurationEstimate {
  isEstimate: true;
  /** raw_i the vote would add to total_vote_weight. */
  rawWeight: bigint;
  /** w_i after the early-vote penalty. */
  weight: bigint;
  /** Estimated post payout with the vote included. */
  postPayout: SteemAmount;
  /** What the voter would earn if the post paid out now: floor(curation·w/(total+raw)). */
  reward: SteemAmount;
}

/** What a new upvote of `rshares` would earn its voter now (uses g: docs/rewards.md, "Curation weight"). */
export function curationEstimate(props: {
  fund: FundSnapshot;
  policy: RewardPolicy;
  rshares: bigint;
  post: {
    netRshares: bigint;
    voteRshares: bigint;
    totalVoteWeight: bigint;
    createdAt: number;
    allowCurationRewards: boolean;
    maxAcceptedPayout?: SteemAmount;
    declinePayout?: boolean;
  };
  now: number;
}): CurationEstimate {
  const { policy, post, rshares } = props;
  const eligible = rshares > 0n && post.allowCurationRewards && policy.curationPercent > 0;
  const w = eligible
    ? curationWeight({
        voteRsharesBefore: post.voteRshares,
        rshares,
        secondsSinceCreated: props.now - post.createdAt,
        contentConstant: policy.contentConstant,
        reverseAuctionSeconds: policy.reverseAuctionSeconds,
      })
    : { raw: 0n, weight: 0n };
  const after = pendingPayout({
    fund: props.fund,
    policy,
    netRshares: post.netRshares + rshares,
    maxAcceptedPayout: post.maxAcceptedPayout,
    declinePayout: post.declinePayout,
  });
  const totalWeight = post.totalVoteWeight + w.raw;
  const reward = totalWeight > 0n ? (after.curators * w.weight) / totalWeight : 0n;
  return { isEstimate: true, rawWeight: w.raw, weight: w.weight, postPayout: after.total, reward };
}
