/**
 * Steem's consensus constants as defined in steemd's config.hpp (HF21+ values). Inkwell's tunable
 * copies live in the reward policy (policy.ts); these are the defaults it starts from and the values
 * docs/rewards.md's worked examples are computed with.
 */
export const STEEM_100_PERCENT = 10_000;
/** STEEM_CONTENT_CONSTANT_HF21 = 2·10¹² (the `s` of both HF21 curves). */
export const STEEM_CONTENT_CONSTANT_HF21 = 2_000_000_000_000n;
/** STEEM_CASHOUT_WINDOW_SECONDS (since HF17). */
export const STEEM_CASHOUT_WINDOW_SECONDS = 604_800;
/** percent_curation_rewards since HF21: 50 %. */
export const STEEM_CURATION_PERCENT_HF21 = 5_000;
/** STEEM_REVERSE_AUCTION_WINDOW_SECONDS_HF21. */
export const STEEM_REVERSE_AUCTION_WINDOW_SECONDS_HF21 = 300;
/** STEEM_VOTE_DUST_THRESHOLD, subtracted from every vote since HF20. */
export const STEEM_VOTE_DUST_THRESHOLD = 50_000_000n;
/** STEEM_RECENT_RSHARES_DECAY_TIME_HF19 (15 days). */
export const STEEM_RECENT_RSHARES_DECAY_TIME_HF19 = 1_296_000;
/** STEEM_VOTING_MANA_REGENERATION_SECONDS (5 days). */
export const STEEM_VOTING_MANA_REGENERATION_SECONDS = 432_000;
/** vote_power_reserve_rate since HF19 (STEEM_REDUCED_VOTE_POWER_RATE). */
export const STEEM_REDUCED_VOTE_POWER_RATE = 10;
/** STEEM_DOWNVOTE_POOL_PERCENT_HF21 (25 % of EV). */
export const STEEM_DOWNVOTE_POOL_PERCENT_HF21 = 2_500;
/** STEEM_UPVOTE_LOCKOUT_SECONDS (12 h; HF17+). */
export const STEEM_UPVOTE_LOCKOUT_SECONDS = 43_200;
/** STEEM_MIN_VOTE_INTERVAL_SEC. */
export const STEEM_MIN_VOTE_INTERVAL_SEC = 3;
/** STEEM_MAX_VOTE_CHANGES. */
export const STEEM_MAX_VOTE_CHANGES = 5;
/** Witness-plugin soft limit on beneficiaries (consensus allows 127). */
export const STEEM_WITNESS_MAX_BENEFICIARIES = 8;
/** STEEM_BENEFICIARY_LIMIT: consensus allows fewer than 128. */
export const STEEM_BENEFICIARY_LIMIT = 128;
/** Rshares of a full-mana 100 % vote with 1,000,000 VESTS of stake (docs/rewards.md, "Rshares of a vote"). */
export const FULL_VOTE_RSHARES_AT_1M_VESTS = 19_950_000_000n;
/** Default max_accepted_payout: 1,000,000.000 SBD (comment_object.hpp); Inkwell reads it as STEEM. */
export const DEFAULT_MAX_ACCEPTED_PAYOUT = 1_000_000_000n;
export const SECONDS_PER_DAY = 86_400;
