import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

/**
 * Zod schemas of what the API answers (the presenters' shapes, `routes/presenters/*`), for the
 * OpenAPI document. Objects allow properties they do not name, so a field added to a presenter is
 * not a breaking change; the fields named are required unless marked optional.
 */
extendZodWithOpenApi(z);

const dateTime = z.iso.datetime({ offset: true });
const steem = z.string().regex(/^-?\d+\.\d{3} STEEM$/).openapi({ example: '1.234 STEEM' });
const intString = z.string().regex(/^-?\d+$/).openapi({ description: 'an integer, as a decimal string (it may exceed 2^53)' });

export const errorSchema = z
  .object({
    errors: z.looseObject({ body: z.array(z.string()).openapi({ description: 'each problem once, as a full sentence' }) }),
    fields: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .openapi({ description: 'the same problems by field (`{"email": ["has already been taken"]}`); left out when no field is named' }),
  })
  .loose()
  .openapi('GenericErrorModel', { description: 'Every error: `errors.body` lists each problem once as a sentence; `fields` names the fields.' });

export const profileSchema = z
  .looseObject({
    username: z.string(),
    bio: z.string(),
    image: z.string(),
    following: z.boolean(),
    steemAccount: z.string().nullable(),
    reputation: intString,
    reputationScore: z.number(),
    muted: z.boolean().optional(),
    streaks: z.looseObject({ currentWeeks: z.number().int(), longestWeeks: z.number().int() }).optional(),
  })
  .openapi('Profile');

export const userSchema = z
  .looseObject({
    email: z.string(),
    token: z.string(),
    username: z.string(),
    bio: z.string(),
    image: z.string(),
    steemAccount: z.string().nullable(),
  })
  .openapi('User');

const beneficiary = z.looseObject({ account: z.string(), weight: z.number().int() });
const payoutSummary = z.looseObject({ total: steem, author: steem, curators: steem, beneficiaries: steem, returnedToFund: steem, settledAt: dateTime.nullable() });
const pendingPayoutEstimate = z.looseObject({ isEstimate: z.literal(true), total: steem, author: steem, curators: steem, beneficiaries: steem });

export const articleSchema = z
  .looseObject({
    slug: z.string(),
    title: z.string(),
    description: z.string(),
    body: z.string().optional().openapi({ description: 'left out of lists' }),
    bodyHtml: z.string().optional().openapi({ description: 'the rendered, sanitised body; left out of lists' }),
    tagList: z.array(z.string()),
    createdAt: dateTime,
    updatedAt: dateTime,
    favorited: z.boolean(),
    favoritesCount: z.number().int(),
    commentsCount: z.number().int(),
    excerpt: z.string(),
    readingTimeMinutes: z.number(),
    images: z.array(z.string()),
    netRshares: intString,
    upvotes: z.number().int(),
    downvotes: z.number().int(),
    payoutAt: dateTime,
    paid: z.boolean(),
    payout: payoutSummary.nullable(),
    pendingPayout: pendingPayoutEstimate.nullable(),
    beneficiaries: z.array(beneficiary),
    maxAcceptedPayout: steem,
    percentLiquid: z.number().int(),
    allowVotes: z.boolean(),
    allowCurationRewards: z.boolean(),
    declinePayout: z.boolean(),
    author: profileSchema,
    rebloggedBy: z.string().nullable().optional().openapi({ description: 'in the feed: who of the followed reblogged it' }),
    bookmarked: z.boolean().optional(),
    favoriteVote: z
      .looseObject({ status: z.enum(['counted', 'not_counted']), reason: z.string().optional() })
      .nullable()
      .optional()
      .openapi({ description: "the viewer's favorite as a vote: counted, or recorded without reward and why (a vote rule's code); null for anonymous viewers or without a favorite or upvote" }),
  })
  .openapi('Article');

export const singleArticle = z.object({ article: articleSchema }).openapi('SingleArticleResponse');
export const multipleArticles = z.object({ articles: z.array(articleSchema), articlesCount: z.number().int() }).openapi('MultipleArticlesResponse');
export const userResponse = z.object({ user: userSchema }).openapi('UserResponse');
export const profileResponse = z.object({ profile: profileSchema }).openapi('ProfileResponse');

export const commentSchema = z
  .looseObject({
    id: z.number().int(),
    createdAt: dateTime,
    updatedAt: dateTime,
    body: z.string(),
    bodyHtml: z.string(),
    parentId: z.number().int().nullable(),
    depth: z.number().int(),
    author: profileSchema,
    netRshares: intString,
    upvotes: z.number().int(),
    downvotes: z.number().int(),
    payoutAt: dateTime.openapi({ description: "the comment's own payout moment: its creation plus the payout window" }),
    paid: z.boolean(),
    payout: payoutSummary.nullable(),
    pendingPayout: pendingPayoutEstimate.nullable(),
  })
  .openapi('Comment', { description: 'A comment is a post item as on Steem: voted (`/votes`) and paid by the same rules as articles when its own window ends.' });

export const draftSchema = z
  .looseObject({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    body: z.string(),
    tagList: z.array(z.string()),
    publishAt: dateTime.nullable(),
    status: z.enum(['draft', 'publishing', 'published']),
    articleSlug: z.string().nullable(),
    publishError: z.string().nullable(),
    createdAt: dateTime,
    updatedAt: dateTime,
  })
  .openapi('Draft');

export const voteSchema = z
  .looseObject({ voter: z.string(), weight: z.number().int(), rshares: intString, createdAt: dateTime, changes: z.number().int().optional() })
  .openapi('Vote');

export const voteResponse = z.object({ vote: voteSchema, article: articleSchema }).openapi('VoteResponse');
export const commentVoteResponse = z.object({ vote: voteSchema, comment: commentSchema }).openapi('CommentVoteResponse');
export const votesResponse = z.object({ votes: z.array(voteSchema), votesCount: z.number().int() }).openapi('VotesResponse');
export const votePreviewResponse = z
  .looseObject({ rshares: intString, pendingPayoutAfter: steem, curationEstimate: steem, isEstimate: z.literal(true) })
  .openapi('VotePreview');

const manabar = z.looseObject({ current: intString, max: intString, percent: z.number() });
export const manaResponse = z.looseObject({ stake: z.string(), votingMana: manabar, downvoteMana: manabar }).openapi('Mana');

export const revisionsResponse = z
  .object({
    revisions: z.array(
      z.looseObject({
        number: z.number().int(),
        title: z.string(),
        description: z.string(),
        body: z.string(),
        tagList: z.array(z.string()),
        editor: z.string(),
        createdAt: dateTime,
        diff: z.string().nullable(),
        diffTruncated: z.boolean().nullable().optional(),
      }),
    ),
    revisionsCount: z.number().int(),
  })
  .openapi('RevisionsResponse');

export const notificationSchema = z
  .looseObject({
    id: z.string(),
    type: z.string(),
    actor: z.string().nullable(),
    article: z.looseObject({ slug: z.string(), title: z.string() }).nullable(),
    commentId: z.number().int().nullable(),
    data: z.record(z.string(), z.unknown()),
    read: z.boolean(),
    createdAt: dateTime,
  })
  .openapi('Notification');

export const notificationsResponse = z
  .object({ notifications: z.array(notificationSchema), notificationsCount: z.number().int() })
  .openapi('NotificationsResponse');
export const unreadCountResponse = z.object({ unreadCount: z.number().int() }).openapi('UnreadCount');
export const readResponse = z.object({ readUntil: dateTime.nullable(), unreadCount: z.number().int() }).openapi('ReadCursor');

export const leaderboardResponse = z
  .object({
    board: z.enum(['authors', 'curators', 'rising']),
    period: z.enum(['day', 'week', 'month']),
    entries: z.array(
      z.looseObject({ rank: z.number().int(), username: z.string(), value: z.string(), posts: z.number().int().optional(), reputationScore: z.number() }),
    ),
  })
  .openapi('Leaderboard');

export const badgesResponse = z
  .object({
    badges: z.array(z.looseObject({ name: z.string(), title: z.string(), description: z.string(), reason: z.string().nullable().optional(), awardedAt: dateTime })),
  })
  .openapi('BadgesResponse');

export const bookmarkResponse = z.object({ bookmark: z.looseObject({ slug: z.string(), bookmarked: z.boolean() }) }).openapi('BookmarkResponse');
export const reblogResponse = z.object({ reblog: z.looseObject({ slug: z.string(), reblogged: z.boolean() }) }).openapi('ReblogResponse');
export const tagsResponse = z.object({ tags: z.array(z.string()) }).openapi('TagsResponse');
export const previewResponse = z.object({ html: z.string() }).openapi('PreviewResponse');

export const fundResponse = z
  .looseObject({ rewardBalance: steem, recentClaims: intString, lastUpdate: dateTime, policyVersion: z.union([z.string(), z.number()]) })
  .openapi('RewardFund');
export const policyResponse = z
  .object({
    policy: z
      .looseObject({ display: z.record(z.string(), z.string()) })
      .catchall(z.unknown())
      .openapi({ description: 'The reward policy in force: every parameter (big integers as decimal strings), and `display` amounts.' }),
  })
  .openapi('RewardPolicy');

const paymentStatus = z.string();
export const payoutReceiptResponse = z
  .object({
    payout: z.looseObject({
      article: z.string(),
      comment: z.number().int().optional().openapi({ description: "a comment's receipt: the comment's id (`article` is its article's slug)" }),
      status: z
        .enum(['pending', 'broadcasting', 'settled', 'held', 'incomplete'])
        .openapi({ description: '`incomplete`: a share of the settlement has no payment record (its status is `missing`), so the payout cannot be shown as paid.' }),
      payoutAt: dateTime,
      settlement: z
        .looseObject({
          id: z.string(),
          batch: z.string(),
          settledAt: dateTime,
          policyVersion: z.union([z.string(), z.number()]),
          outcome: z.string(),
          inputs: z.looseObject({
            netRshares: intString,
            claims: z.string(),
            totalVoteWeight: intString,
            fund: z.looseObject({ rewardBalance: steem, recentClaims: intString }),
            maxAcceptedPayout: steem,
            percentLiquid: z.number().int(),
            allowCurationRewards: z.boolean(),
            declinePayout: z.boolean(),
            beneficiaries: z.array(beneficiary),
            votes: z.array(z.looseObject({ voter: z.string().nullable().optional(), rshares: z.string(), curationWeight: z.string().nullable().optional() })),
          }),
          uncappedPayout: steem,
          payout: steem,
          curationTokens: steem,
          authorTokens: steem,
          returnedToFund: steem,
          distributed: steem,
        })
        .nullable(),
      shares: z.array(
        z.looseObject({
          recipient: z.string().nullable(),
          steemAccount: z.string().nullable(),
          role: z.string(),
          liquid: steem,
          power: steem,
          status: paymentStatus,
          heldReason: z.string().nullable(),
          memo: z.string(),
          transactionId: z.string().nullable(),
          blockNum: z.number().int().nullable(),
        }),
      ),
      transactions: z.array(z.looseObject({ id: z.string(), blockNum: z.number().int().nullable(), irreversible: z.boolean() })),
    }),
  })
  .openapi('PayoutReceiptResponse');

export const userPayoutsResponse = z
  .object({
    payouts: z.array(
      z.looseObject({
        id: z.string(),
        batch: z.string(),
        status: paymentStatus,
        steemAccount: z.string().nullable(),
        liquid: steem,
        power: steem,
        total: steem,
        memo: z.string(),
        transactionId: z.string().nullable(),
        blockNum: z.number().int().nullable(),
        heldReason: z.string().nullable(),
        createdAt: dateTime,
        settledAt: dateTime.nullable(),
        shares: z.array(z.looseObject({ article: z.string(), comment: z.number().int().optional(), role: z.string(), liquid: steem, power: steem })),
      }),
    ),
    payoutsCount: z.number().int(),
  })
  .openapi('UserPayoutsResponse');

const counts = z.record(z.string(), z.number().int());
export const payoutStatusResponse = z
  .object({
    status: z.looseObject({
      paused: z.boolean(),
      pausedReason: z.string().nullable(),
      pausedSince: dateTime.nullable(),
      duePosts: z.number().int(),
      settlements: z.number().int(),
      batches: counts,
      payments: counts,
      transactions: counts,
      outstanding: steem,
    }),
  })
  .openapi('PayoutStatusResponse');

export const linkChallengeResponse = z.object({ challenge: z.string(), expiresAt: dateTime }).openapi('SteemLinkChallenge');
export const linkResponse = z.object({ steemAccount: z.string(), stakeVests: intString }).openapi('SteemLink');

export const healthResponse = z.object({ status: z.literal('ok') }).openapi('Health');
export const readinessResponse = z
  .object({
    status: z.enum(['ready', 'degraded']),
    checks: z.record(z.string(), z.looseObject({ ok: z.boolean(), detail: z.string().optional() })),
  })
  .openapi('Readiness');
