import type { ArticleView } from '../../commands/articles/articleViews';
import type { ArticleViewPage } from '../../commands/articles/articlePages';
import { formatSteem } from '../../domain/money';
import { pendingPayout, type RewardFundState, type RewardPolicy } from '../../domain/rewards';
import { presentProfile } from './profile';

export interface PresentContext {
  withBody: boolean;
  fund: Pick<RewardFundState, 'rewardBalance' | 'recentClaims'>;
  policy: RewardPolicy;
}

/**
 * RealWorld's Article plus Inkwell's extensions: rendering (bodyHtml, excerpt, readingTimeMinutes,
 * images), votes (netRshares, upvotes, downvotes; `favoriteVote`: what the viewer's favorite is worth) and rewards (payoutAt, the pending payout estimate,
 * payout options). List responses leave out `body` and `bodyHtml`, as the contract says.
 */
export function presentArticle({ article, author, favorited, following, favoriteVote }: ArticleView, context: PresentContext) {
  const maxAcceptedPayout = article.maxAcceptedPayout != null ? BigInt(article.maxAcceptedPayout) : context.policy.maxAcceptedPayoutDefault;
  const estimate = pendingPayout({
    fund: context.fund,
    policy: context.policy,
    netRshares: BigInt(article.netRshares ?? '0'),
    beneficiaries: article.beneficiaries as { account: string; weight: number }[],
    maxAcceptedPayout,
    declinePayout: article.declinePayout,
  });
  const beneficiaryTotal = estimate.beneficiaries.reduce((sum, b) => sum + b.amount, 0n);
  return {
    slug: article.slug,
    title: article.title,
    description: article.description,
    ...(context.withBody ? { body: article.body, bodyHtml: article.bodyHtml } : {}),
    tagList: article.tagList,
    createdAt: article.createdAt.toISOString(),
    updatedAt: article.updatedAt.toISOString(),
    favorited,
    favoritesCount: article.favoritesCount,
    favoriteVote,
    commentsCount: article.commentsCount,
    excerpt: article.excerpt,
    readingTimeMinutes: article.readingTimeMinutes,
    images: article.images,
    netRshares: article.netRshares ?? '0',
    upvotes: article.upvotes ?? article.favoritesCount,
    downvotes: article.downvotes ?? 0,
    payoutAt: article.payoutAt.toISOString(),
    paid: article.paid ?? false,
    payout: article.payout
      ? {
          total: formatSteem(BigInt(article.payout.total ?? '0')),
          author: formatSteem(BigInt(article.payout.author ?? '0')),
          curators: formatSteem(BigInt(article.payout.curators ?? '0')),
          beneficiaries: formatSteem(BigInt(article.payout.beneficiaries ?? '0')),
          returnedToFund: formatSteem(BigInt(article.payout.returnedToFund ?? '0')),
          settledAt: article.payout.settledAt ? new Date(article.payout.settledAt).toISOString() : null,
        }
      : null,
    pendingPayout: article.paid
      ? null
      : {
          isEstimate: true,
          total: formatSteem(estimate.total),
          author: formatSteem(estimate.author),
          curators: formatSteem(estimate.curators),
          beneficiaries: formatSteem(beneficiaryTotal),
        },
    beneficiaries: (article.beneficiaries ?? []).map((b) => ({ account: b.account, weight: b.weight })),
    maxAcceptedPayout: formatSteem(maxAcceptedPayout),
    percentLiquid: article.percentLiquid ?? 10000,
    allowVotes: article.allowVotes ?? true,
    allowCurationRewards: article.allowCurationRewards ?? true,
    declinePayout: article.declinePayout ?? false,
    author: presentProfile(author, following),
  };
}

/** A page of articles (`articles`, `articlesCount`); a feed entry a followed user reblogged names them in `rebloggedBy`. */
export function presentArticlePage(page: ArticleViewPage, context: PresentContext) {
  return {
    articles: page.views.map((view) => {
      const presented = presentArticle(view, context);
      const id = view.article._id.toString();
      return page.rebloggedBy?.has(id) ? { ...presented, rebloggedBy: page.rebloggedBy.get(id)! } : presented;
    }),
    articlesCount: page.articlesCount,
  };
}
