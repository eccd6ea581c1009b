import { authorCurve } from './curve';
import type { RewardPolicy } from './policy';
import { bringFundForward, type RewardFund } from './rewardFund';

export interface Beneficiary {
  account: string;
  weight: number;
}

export interface SettlingVote {
  voter: string;
  rshares: bigint;
  /** Curation weight after the reverse-auction penalty (0 for changed votes). */
  curationWeight: bigint;
}

export interface SettlingPost {
  id: string;
  author: string;
  netRshares: bigint;
  /** Σ undiscounted curation weights of eligible votes (comment.total_vote_weight). */
  totalVoteWeight: bigint;
  votes: SettlingVote[];
  beneficiaries: Beneficiary[];
  /** STEEM units; 0 declines the payout. */
  maxAcceptedPayout: bigint;
  /** Basis points of the author and beneficiary shares paid liquid ×2 (Steem's percent_steem_dollars). */
  percentLiquid: number;
  allowCurationRewards: boolean;
}

export type LedgerRole = 'author' | 'curator' | 'beneficiary';

export interface LedgerEntry {
  recipient: string;
  role: LedgerRole;
  liquid: bigint;
  power: bigint;
}

export interface PostSettlement {
  postId: string;
  netRshares: bigint;
  claims: bigint;
  /** What the post's claims were worth before dust and cap. */
  uncappedPayout: bigint;
  /** The post's payout after dust and cap: the total of entries plus returnedToFund. */
  payout: bigint;
  entries: LedgerEntry[];
  /** Curation not paid (rounding, early-vote penalty, no eligible voters): stays in the fund (HF20+). */
  returnedToFund: bigint;
}

export interface BatchSettlement {
  fundBefore: RewardFund;
  fundAfter: RewardFund;
  /** Fund state every post was paid from: after decay and after adding the batch's claims. */
  snapshot: { rewardBalance: bigint; recentClaims: bigint };
  settlements: PostSettlement[];
  distributed: bigint;
  policyVersion: string;
}

/** Splits an author or beneficiary share by percent_steem_dollars: liquid = floor(t·psd/20000). */
function splitLiquid(tokens: bigint, percentLiquid: number): { liquid: bigint; power: bigint } {
  const liquid = (tokens * BigInt(percentLiquid)) / 20000n;
  return { liquid, power: tokens - liquid };
}

/**
 * Pays a batch of posts settling together (§1.3–1.12): decay the claims, add every post's claims
 * first so all share one STEEM-per-claim, then per post: floor(balance·claims/recent_claims), dust
 * → 0, cap at max_accepted_payout (0 = declined, claims still counted), 50 % curation paid by
 * weight with the remainder left in the fund, beneficiaries from the author share, then the
 * liquid/power split. Exact integers throughout; conserves every unit.
 */
export function settleBatch(fund: RewardFund, posts: SettlingPost[], policy: RewardPolicy, now: number): BatchSettlement {
  const fundBefore = bringFundForward(fund, policy, now);
  const claimsOf = posts.map((post) => authorCurve(post.netRshares, policy.contentConstant));
  const recentClaims = fundBefore.recentClaims + claimsOf.reduce((sum, claims) => sum + claims, 0n);
  const snapshot = { rewardBalance: fundBefore.rewardBalance, recentClaims };

  const settlements = posts.map((post, i) => settlePost(post, claimsOf[i]!, snapshot, policy));
  const distributed = settlements.reduce((sum, s) => sum + s.payout - s.returnedToFund, 0n);
  return {
    fundBefore,
    fundAfter: { ...fundBefore, recentClaims, rewardBalance: fundBefore.rewardBalance - distributed },
    snapshot,
    settlements,
    distributed,
    policyVersion: policy.version,
  };
}

function settlePost(post: SettlingPost, claims: bigint, snapshot: { rewardBalance: bigint; recentClaims: bigint }, policy: RewardPolicy): PostSettlement {
  const uncappedPayout = claims > 0n && snapshot.recentClaims > 0n ? (snapshot.rewardBalance * claims) / snapshot.recentClaims : 0n;
  let payout = uncappedPayout < policy.payoutDust ? 0n : uncappedPayout;
  if (payout > post.maxAcceptedPayout) payout = post.maxAcceptedPayout;
  const base = { postId: post.id, netRshares: post.netRshares, claims, uncappedPayout, payout };
  if (payout === 0n) return { ...base, entries: [], returnedToFund: 0n };

  const curation = (payout * BigInt(policy.curationPercent)) / 10000n;
  const authorTokens = payout - curation;
  const entries: LedgerEntry[] = [];

  let curationPaid = 0n;
  if (post.allowCurationRewards && post.totalVoteWeight > 0n) {
    const curators = post.votes
      .filter((vote) => vote.curationWeight > 0n)
      .sort((a, b) => (a.curationWeight === b.curationWeight ? a.voter.localeCompare(b.voter) : a.curationWeight > b.curationWeight ? -1 : 1));
    for (const vote of curators) {
      const reward = (curation * vote.curationWeight) / post.totalVoteWeight;
      if (reward === 0n) continue;
      curationPaid += reward;
      entries.push({ recipient: vote.voter, role: 'curator', liquid: 0n, power: reward });
    }
  }

  let beneficiaryTotal = 0n;
  for (const beneficiary of post.beneficiaries) {
    const share = (authorTokens * BigInt(beneficiary.weight)) / 10000n;
    if (share === 0n) continue;
    beneficiaryTotal += share;
    entries.push({ recipient: beneficiary.account, role: 'beneficiary', ...splitLiquid(share, post.percentLiquid) });
  }
  const authorShare = authorTokens - beneficiaryTotal;
  if (authorShare > 0n) entries.unshift({ recipient: post.author, role: 'author', ...splitLiquid(authorShare, post.percentLiquid) });

  return { ...base, entries, returnedToFund: curation - curationPaid };
}
