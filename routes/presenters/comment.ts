import type { CommentView } from '../../commands/comments/articleComments';
import type { StoredComment } from '../../commands/comments/comments';
import { formatSteem } from '../../domain/money';
import { pendingPayout } from '../../domain/rewards';
import type { PresentContext } from './article';
import { presentProfile, type ProfileJson } from './profile';

/** What presenting comments needs: the fund as it stands now and the policy (the pending payout estimate). */
export type CommentContext = Pick<PresentContext, 'fund' | 'policy'>;

const steem = (value: string | null | undefined) => formatSteem(BigInt(value ?? '0'));

/**
 * RealWorld's Comment (integer id) plus threading (`parentId`, `depth`), rendered `bodyHtml`, and what
 * a comment earns as a post item (docs/rewards.md, "Comments"): votes (netRshares, upvotes, downvotes),
 * its own payoutAt, the pending payout estimate until it is paid, then the payout.
 */
export function presentComment(comment: StoredComment, author: ProfileJson, context: CommentContext) {
  return {
    id: comment.id,
    createdAt: comment.createdAt.toISOString(),
    updatedAt: comment.updatedAt.toISOString(),
    body: comment.body,
    bodyHtml: comment.bodyHtml,
    parentId: comment.parentId ?? null,
    depth: comment.depth,
    author,
    ...presentCommentRewards(comment, context),
  };
}

/** What a comment earns, as the API and the site show it: votes, its payout moment, the estimate or the payout. */
export function presentCommentRewards(comment: StoredComment, context: CommentContext) {
  const payoutAt = comment.payoutAt ?? new Date(comment.createdAt.getTime() + context.policy.payoutWindowSeconds * 1000);
  const paid = comment.paid ?? false;
  const estimate = paid ? null : pendingPayout({ fund: context.fund, policy: context.policy, netRshares: BigInt(comment.netRshares ?? '0'), beneficiaries: [], maxAcceptedPayout: context.policy.maxAcceptedPayoutDefault });
  return {
    netRshares: comment.netRshares ?? '0',
    upvotes: comment.upvotes ?? 0,
    downvotes: comment.downvotes ?? 0,
    payoutAt: payoutAt.toISOString(),
    paid,
    pendingPayout: estimate
      ? { isEstimate: true as const, total: formatSteem(estimate.total), author: formatSteem(estimate.author), curators: formatSteem(estimate.curators), beneficiaries: formatSteem(0n) }
      : null,
    payout: comment.payout
      ? {
          total: steem(comment.payout.total),
          author: steem(comment.payout.author),
          curators: steem(comment.payout.curators),
          beneficiaries: steem(comment.payout.beneficiaries),
          returnedToFund: steem(comment.payout.returnedToFund),
          settledAt: comment.payout.settledAt ? new Date(comment.payout.settledAt).toISOString() : null,
        }
      : null,
  };
}

const DELETED_AUTHOR = { username: '[deleted]', bio: '', image: '', steemAccount: null };

/** A comment with its author's profile as the viewer sees it; an author whose account is gone shows as `[deleted]`. */
export function presentCommentView({ comment, author, following }: CommentView, context: CommentContext) {
  return presentComment(comment, presentProfile(author ?? DELETED_AUTHOR, following), context);
}
