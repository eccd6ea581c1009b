import { curationEstimate, pendingPayout, type RewardPolicy } from '../../domain/rewards';
import { voteManaCost, voteRshares } from '../../domain/votes';
import { UserModel } from '../../models/user';
import { findArticleBySlug } from '../articles/findArticle';
import { findArticleComment } from '../comments/articleComments';
import { payoutTimeOf } from './payoutTime';
import { currentFund } from '../rewards/fund';
import type { Viewer } from '../users/viewer';
import { stakeOf, voterManabars } from './voterMana';

const unix = (date: Date) => Math.floor(date.getTime() / 1000);

/** What a vote would add now: its rshares, the post's pending payout after it, the voter's curation estimate. */
export interface VotePreview {
  rshares: bigint;
  pendingPayoutAfter: bigint;
  curationEstimate: bigint;
}

/** The viewer's voting and downvote manabars, regenerated to `now`, read fresh (the viewer record may predate the last vote). */
async function manabarsOf(viewer: Pick<Viewer, '_id' | 'stakeVests'>, now: number, policy: RewardPolicy) {
  const stake = stakeOf(viewer, policy);
  const stored = (await UserModel.findById(viewer._id, { votingMana: 1, downvoteMana: 1 }).lean()) ?? {};
  return { stake, ...voterManabars(stored, stake, now, policy) };
}

/** What a preview reads of a post item (an article, or a comment: no payout options, the policy's defaults). */
interface PreviewedPost {
  netRshares?: string | null;
  voteRshares?: string | null;
  totalVoteWeight?: string | null;
  createdAt: Date;
  payoutAt?: Date | null;
  beneficiaries?: { account?: string | null; weight?: number | null }[] | null;
  allowCurationRewards?: boolean | null;
  declinePayout?: boolean | null;
}

/** An estimate of a vote of `weight` by the viewer on a post item, as the rules stand now; changes nothing. */
async function previewVoteOn(post: PreviewedPost, props: { viewer: Viewer; weight: number; now: Date; policy: RewardPolicy }): Promise<VotePreview> {
  const { viewer, weight, policy } = props;
  const now = unix(props.now);
  const { voting, downvote } = await manabarsOf(viewer, now, policy);
  const used = weight === 0 ? 0n : voteManaCost({ weight, votingMana: voting.currentMana, downvoteMana: downvote.currentMana, policy });
  const rshares = voteRshares({ manaUsed: used, weight, payoutAt: unix(payoutTimeOf(post, policy)), now, policy });
  const fund = await currentFund(policy, now);
  const netAfter = BigInt(post.netRshares ?? '0') + rshares;
  const beneficiaries = (post.beneficiaries ?? []) as { account: string; weight: number }[];
  const after = pendingPayout({ fund, policy, netRshares: netAfter, beneficiaries, declinePayout: post.declinePayout ?? false });
  const curation = curationEstimate({
    fund,
    policy,
    rshares,
    now,
    post: {
      netRshares: BigInt(post.netRshares ?? '0'),
      voteRshares: BigInt(post.voteRshares ?? '0'),
      totalVoteWeight: BigInt(post.totalVoteWeight ?? '0'),
      createdAt: unix(post.createdAt),
      allowCurationRewards: post.allowCurationRewards ?? true,
      declinePayout: post.declinePayout ?? false,
    },
  });
  return { rshares, pendingPayoutAfter: after.total, curationEstimate: curation.reward };
}

/** An estimate of a vote of `weight` by the viewer on the article a slug names; changes nothing. */
export async function previewVote(props: { viewer: Viewer; slug: string; weight: number; now: Date; policy: RewardPolicy }): Promise<VotePreview> {
  return previewVoteOn(await findArticleBySlug(props.slug), props);
}

/** An estimate of a vote of `weight` by the viewer on a comment of the article a slug names; changes nothing. */
export async function previewCommentVote(props: { viewer: Viewer; slug: string; commentId: number; weight: number; now: Date; policy: RewardPolicy }): Promise<VotePreview> {
  return previewVoteOn((await findArticleComment(props.slug, props.commentId)).comment, props);
}

/** The viewer's stake and mana now. */
export interface ViewerMana {
  stake: bigint;
  voting: bigint;
  downvote: bigint;
  downvoteMax: bigint;
}

export async function viewerMana(viewer: Pick<Viewer, '_id' | 'stakeVests'>, now: Date, policy: RewardPolicy): Promise<ViewerMana> {
  const bars = await manabarsOf(viewer, unix(now), policy);
  return { stake: bars.stake, voting: bars.voting.currentMana, downvote: bars.downvote.currentMana, downvoteMax: bars.downvoteMax };
}
