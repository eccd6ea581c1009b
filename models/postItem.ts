/**
 * What every post item (an article or a comment; on Steem a reply is a post) holds for votes and its
 * payout, declared once for both models: the same vote engine lands on them and the same settlement
 * pays them (docs/rewards.md, "Comments").
 */
export const postItemFields = {
  paid: { type: Boolean, default: false },
  /** The settlement batch that has claimed this post; votes arriving after the claim do not count. */
  settlingBatch: { type: String, default: null },
  /** What the post paid, once settled (amounts in 0.001 STEEM). */
  payout: {
    type: { total: String, author: String, curators: String, beneficiaries: String, returnedToFund: String, settledAt: Date, _id: false },
    default: null,
  },
  /** Vote aggregates as decimal strings (bigints): net, absolute, positive-vote and curation totals. */
  netRshares: { type: String, default: '0' },
  absRshares: { type: String, default: '0' },
  voteRshares: { type: String, default: '0' },
  totalVoteWeight: { type: String, default: '0' },
  /** Upvotes (votes with positive weight) and downvotes. */
  upvotes: { type: Number, default: 0 },
  downvotes: { type: Number, default: 0 },
  /** Net rshares as a number (a sort key, and what the gamification's "positive posts" read). */
  rankRshares: { type: Number, default: 0 },
  /** Compare-and-set version of the vote aggregates, and the recent vote operations applied. */
  voteSeq: { type: Number, default: 0 },
  appliedVoteOps: { type: [{ id: String, curationWeight: String, raw: String, _id: false }], default: [] },
} as const;
