/**
 * The reward math's inputs from a claimed batch's stored rows: each post with its votes, as
 * `distributeBatchRewards` takes them (docs/rewards.md, "Payout split"). No I/O.
 */
import type { Types } from 'mongoose';
import type { RewardPolicy, SettlementPost } from '../../domain/rewards';

/**
 * What settling reads of a claimed post item: never its body. A comment (`comment` set) carries its
 * article's slug and no payout options (the policy's defaults).
 */
export interface ClaimedArticle {
  _id: Types.ObjectId;
  slug: string;
  comment?: { id: number; article: Types.ObjectId };
  author: Types.ObjectId;
  netRshares: string;
  totalVoteWeight: string;
  beneficiaries?: { account?: string | null; weight?: number | null }[] | null;
  maxAcceptedPayout?: string | null;
  percentLiquid?: number | null;
  allowCurationRewards?: boolean | null;
  declinePayout?: boolean | null;
}

/** A vote as settling reads it (amounts are stored as decimal strings). */
export interface VoteRow {
  article: Types.ObjectId;
  voter: Types.ObjectId;
  rshares: string;
  curationWeight: string;
}

export function votesByArticle(votes: readonly VoteRow[]): Map<string, VoteRow[]> {
  const grouped = new Map<string, VoteRow[]>();
  for (const vote of votes) {
    const key = vote.article.toString();
    const list = grouped.get(key);
    if (list) list.push(vote);
    else grouped.set(key, [vote]);
  }
  return grouped;
}

/**
 * One settlement post per article, in the articles' order. Votes that carry neither rshares nor
 * curation weight (a vote taken back) are left out; unset options take the policy's defaults.
 */
export function settlementPosts(articles: readonly ClaimedArticle[], votes: readonly VoteRow[], policy: RewardPolicy): SettlementPost[] {
  const grouped = votesByArticle(votes);
  return articles.map((article) => ({
    id: article._id.toString(),
    author: article.author.toString(),
    netRshares: BigInt(article.netRshares),
    totalVoteWeight: BigInt(article.totalVoteWeight),
    votes: (grouped.get(article._id.toString()) ?? [])
      .filter((v) => v.rshares !== '0' || v.curationWeight !== '0')
      .map((v) => ({ voter: v.voter.toString(), rshares: BigInt(v.rshares), curationWeight: BigInt(v.curationWeight) })),
    beneficiaries: (article.beneficiaries ?? []).map((b) => ({ account: b.account!, weight: b.weight! })),
    maxAcceptedPayout: article.maxAcceptedPayout != null ? BigInt(article.maxAcceptedPayout) : policy.maxAcceptedPayoutDefault,
    percentLiquid: article.percentLiquid ?? 10000,
    allowCurationRewards: article.allowCurationRewards ?? true,
    declinePayout: article.declinePayout ?? false,
  }));
}
