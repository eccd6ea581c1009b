/**
 * The payout of a batch of posts settling together (docs/rewards.md, "Settling a batch" to "Beneficiaries"; steemd database.cpp
 * `process_comment_cashout`, `cashout_comment_helper`, `pay_curators`; util/reward.cpp
 * `get_rshare_reward`). Pure and deterministic: same input, same output, every unit accounted for.
 *
 *  1. Decay recent_claims to `now`.
 *  2. Add the claims f(net_rshares) of *every* positive post in the batch first, so all of them share
 *     one STEEM-per-claim (steemd does this per block).
 *  3. Per post: payout = floor(balance·claims / recent_claims) from that one snapshot; below the payout
 *     dust → 0; capped at max_accepted_payout; declined = cap 0 (its claims still dilute the batch).
 *  4. curation = floor(payout·50%); each curator floor(curation·w_i/total_vote_weight) as Steem Power,
 *     in order of weight desc then voter. HF20: whatever curation is not paid (rounding, early-vote
 *     penalty, no eligible voters, allow_curation_rewards = false) stays in the fund.
 *  5. author_tokens = payout − curation; each beneficiary floor(author_tokens·weight/10000); the author
 *     keeps the rest. Author and beneficiary shares are split liquid/power by percent_steem_dollars
 *     (HF20 `__2022`): liquid = floor(tokens·PSD/20000).
 *  6. balance −= Σ distributed (steemd subtracts `steem_awarded` once after the block).
 *
 * Dust applies only to a post's whole payout, as in steemd; individual curator/beneficiary shares are
 * never dusted (a tiny share is paid if it is ≥ 1 unit). Zero-amount shares produce no ledger entry.
 */
import type { SteemAmount } from '../money/asset';
import { authorCurve } from './curve';
import { STEEM_100_PERCENT } from './constants';
import type { Beneficiary } from './beneficiaries';
import type { RewardPolicy } from './policy';
import { decayRecentClaims, type RewardFundState } from './rewardFund';

export interface SettlementVote {
  voter: string;
  rshares: bigint;
  /** The vote's curation weight w_i (after the early-vote penalty; 0 if changed or ineligible). */
  curationWeight: bigint;
  /** Unix seconds; informational (kept in the receipt). */
  votedAt?: number;
}

export interface SettlementPost {
  id: string;
  author: string;
  netRshares: bigint;
  /** comment.total_vote_weight: Σ undiscounted raw_i minus the weights of changed votes. ≥ Σ w_i. */
  totalVoteWeight: bigint;
  votes: readonly SettlementVote[];
  beneficiaries: readonly Beneficiary[];
  /** STEEM units. */
  maxAcceptedPayout: SteemAmount;
  /** percent_steem_dollars semantics, 0…10000: liquid = floor(tokens·percentLiquid/20000). */
  percentLiquid: number;
  allowCurationRewards: boolean;
  declinePayout: boolean;
}

export type LedgerRole = 'author' | 'curator' | 'beneficiary';

export interface LedgerEntry {
  recipient: string;
  role: LedgerRole;
  /** Paid by `transfer`. */
  liquid: SteemAmount;
  /** Paid by `transfer_to_vesting`. */
  power: SteemAmount;
}

export type SettlementOutcome = 'paid' | 'no_claims' | 'dust' | 'declined' | 'capped';

export interface PostSettlement {
  postId: string;
  author: string;
  /** The post's inputs, as settled (for the receipt). */
  inputs: SettlementPost;
  outcome: SettlementOutcome;
  /** f(max(net_rshares, 0)). */
  claims: bigint;
  /** floor(balance·claims/recent_claims) before dust and cap. */
  uncappedPayout: SteemAmount;
  /** After dust and cap: what the post is owed; = Σ entries + returnedToFund. */
  payout: SteemAmount;
  /** floor(payout·curationPercent/10000). */
  curationTokens: SteemAmount;
  /** payout − curationTokens (before beneficiaries). */
  authorTokens: SteemAmount;
  entries: LedgerEntry[];
  /** Unpaid curation, staying in the fund (HF20+). */
  returnedToFund: SteemAmount;
  /** Σ entries: what leaves the fund for this post. */
  distributed: SteemAmount;
}

export interface BatchSettlement {
  policyVersion: string;
  settledAt: number;
  fundBefore: RewardFundState;
  /** The one snapshot every post was paid from: decayed, with the batch's claims added. */
  payoutBasis: { rewardBalance: SteemAmount; recentClaims: bigint };
  fundAfter: RewardFundState;
  settlements: PostSettlement[];
  totalPayout: SteemAmount;
  totalDistributed: SteemAmount;
  totalReturnedToFund: SteemAmount;
}

export interface BatchRewardsInput {
  /** The fund already accrued to `now` (see accrueFund); distributeBatchRewards only decays its claims. */
  fund: RewardFundState;
  policy: RewardPolicy;
  posts: readonly SettlementPost[];
  /** Unix seconds. */
  now: number;
}

/** Input that cannot be settled without breaking conservation: a bug or corrupt data upstream. */
export class SettlementInputError extends Error {
  readonly code = 'SETTLEMENT_INPUT_INVALID';
  constructor(
    readonly postId: string | null,
    message: string,
  ) {
    super(postId ? `post ${postId}: ${message}` : message);
    this.name = 'SettlementInputError';
  }
}

export function distributeBatchRewards(input: BatchRewardsInput): BatchSettlement {
  const { fund, policy, posts, now } = input;
  validateBatch(input);

  const decayed = decayRecentClaims(fund, now, policy);
  const claims = posts.map((post) => authorCurve(post.netRshares, policy.contentConstant));
  const recentClaims = decayed.recentClaims + claims.reduce((sum, c) => sum + c, 0n);
  const payoutBasis = { rewardBalance: decayed.rewardBalance, recentClaims };

  const settlements = posts.map((post, i) => settlePost(post, claims[i], payoutBasis, policy));
  const totalPayout = settlements.reduce((sum, s) => sum + s.payout, 0n);
  const totalDistributed = settlements.reduce((sum, s) => sum + s.distributed, 0n);
  const totalReturnedToFund = settlements.reduce((sum, s) => sum + s.returnedToFund, 0n);

  return {
    policyVersion: policy.policyVersion,
    settledAt: now,
    fundBefore: fund,
    payoutBasis,
    fundAfter: { ...decayed, recentClaims, rewardBalance: decayed.rewardBalance - totalDistributed },
    settlements,
    totalPayout,
    totalDistributed,
    totalReturnedToFund,
  };
}

/** Splits an author or beneficiary share by percent_steem_dollars. */
export function splitLiquid(tokens: SteemAmount, percentLiquid: number): { liquid: SteemAmount; power: SteemAmount } {
  const liquid = (tokens * BigInt(percentLiquid)) / BigInt(2 * STEEM_100_PERCENT);
  return { liquid, power: tokens - liquid };
}

/** Curators in steemd's pay order: weight descending, then voter. */
export function curatorOrder(a: SettlementVote, b: SettlementVote): number {
  if (a.curationWeight !== b.curationWeight) return a.curationWeight > b.curationWeight ? -1 : 1;
  return a.voter < b.voter ? -1 : a.voter > b.voter ? 1 : 0;
}

function settlePost(
  post: SettlementPost,
  claims: bigint,
  basis: { rewardBalance: SteemAmount; recentClaims: bigint },
  policy: RewardPolicy,
): PostSettlement {
  const uncappedPayout = claims > 0n && basis.recentClaims > 0n ? (basis.rewardBalance * claims) / basis.recentClaims : 0n;
  const cap = post.declinePayout ? 0n : post.maxAcceptedPayout;
  let outcome: SettlementOutcome = 'paid';
  let payout = uncappedPayout;
  if (claims === 0n) outcome = 'no_claims';
  else if (payout < policy.payoutDustSteem) [payout, outcome] = [0n, 'dust'];
  if (payout > cap) [payout, outcome] = [cap, cap === 0n ? 'declined' : 'capped'];

  const curationTokens = (payout * BigInt(policy.curationPercent)) / BigInt(STEEM_100_PERCENT);
  const authorTokens = payout - curationTokens;
  const entries: LedgerEntry[] = [];

  let beneficiaryTotal = 0n;
  const beneficiaryEntries: LedgerEntry[] = [];
  for (const beneficiary of post.beneficiaries) {
    const share = (authorTokens * BigInt(beneficiary.weight)) / BigInt(STEEM_100_PERCENT);
    beneficiaryTotal += share;
    if (share > 0n) beneficiaryEntries.push({ recipient: beneficiary.account, role: 'beneficiary', ...splitLiquid(share, post.percentLiquid) });
  }
  const authorShare = authorTokens - beneficiaryTotal;
  if (authorShare > 0n) entries.push({ recipient: post.author, role: 'author', ...splitLiquid(authorShare, post.percentLiquid) });
  entries.push(...beneficiaryEntries);

  // pay_curators: allow_curation_rewards = false pays nobody; the share stays in the fund (HF20).
  let curationPaid = 0n;
  if (post.allowCurationRewards && post.totalVoteWeight > 0n && curationTokens > 0n) {
    for (const vote of [...post.votes].filter((v) => v.curationWeight > 0n).sort(curatorOrder)) {
      const reward = (curationTokens * vote.curationWeight) / post.totalVoteWeight;
      if (reward === 0n) continue;
      curationPaid += reward;
      // Curation rewards are always paid as Steem Power (curation_reward vop).
      entries.push({ recipient: vote.voter, role: 'curator', liquid: 0n, power: reward });
    }
  }

  const returnedToFund = curationTokens - curationPaid;
  return {
    postId: post.id,
    author: post.author,
    inputs: post,
    outcome,
    claims,
    uncappedPayout,
    payout,
    curationTokens,
    authorTokens,
    entries,
    returnedToFund,
    distributed: payout - returnedToFund,
  };
}

function validateBatch({ fund, posts, now }: BatchRewardsInput): void {
  if (!Number.isSafeInteger(now)) throw new SettlementInputError(null, `now must be integer unix seconds, got ${now}`);
  if (fund.rewardBalance < 0n || fund.recentClaims < 0n) throw new SettlementInputError(null, 'fund balance and claims must be non-negative');
  const ids = new Set<string>();
  for (const post of posts) {
    const fail = (message: string) => new SettlementInputError(post.id, message);
    if (ids.has(post.id)) throw fail('appears twice in the batch');
    ids.add(post.id);
    if (post.maxAcceptedPayout < 0n) throw fail('maxAcceptedPayout must be non-negative');
    if (!Number.isInteger(post.percentLiquid) || post.percentLiquid < 0 || post.percentLiquid > STEEM_100_PERCENT) {
      throw fail(`percentLiquid must be 0…10000, got ${post.percentLiquid}`);
    }
    let beneficiaryTotal = 0;
    for (const b of post.beneficiaries) {
      if (!Number.isInteger(b.weight) || b.weight < 0 || b.weight > STEEM_100_PERCENT) throw fail(`beneficiary ${b.account} weight ${b.weight} out of range`);
      beneficiaryTotal += b.weight;
    }
    if (beneficiaryTotal > STEEM_100_PERCENT) throw fail(`beneficiary weights total ${beneficiaryTotal} > 10000`);
    const voters = new Set<string>();
    let weightSum = 0n;
    for (const vote of post.votes) {
      if (voters.has(vote.voter)) throw fail(`voter ${vote.voter} appears twice`);
      voters.add(vote.voter);
      if (vote.curationWeight < 0n) throw fail(`voter ${vote.voter} has a negative curation weight`);
      weightSum += vote.curationWeight;
    }
    // Conservation needs Σ w_i ≤ total_vote_weight, which the vote rules guarantee.
    if (weightSum > post.totalVoteWeight) throw fail(`curation weights total ${weightSum} > totalVoteWeight ${post.totalVoteWeight}`);
  }
}
