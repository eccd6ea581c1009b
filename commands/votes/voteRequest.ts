import type { Types } from 'mongoose';
import type { RewardFundState, RewardPolicy } from '../../domain/rewards';
import type { TokenSession } from '../../lib/auth/tokens';
import type { ArticleAuthor } from '../articles/articleViews';
import type { StoredPostItem } from './reads';
import type { PendingVote } from './voteOp';

export interface VoteRequest {
  voter: Types.ObjectId;
  /** The post item voted on: an article's id, or a comment's `_id` (then `comment` is set). */
  article: Types.ObjectId;
  /** On a comment vote: the comment's integer id and its article (never with `favorite`). */
  comment?: { id: number; article: Types.ObjectId };
  /** The article's author as the caller read it: the batch reads authors with the voters, in one query. */
  author: Types.ObjectId;
  /**
   * Set when the caller found the article by a slug it remembered: the vote is refused with
   * `ArticleMovedFromSlug` unless the post, as the batch reads it, still has this slug.
   */
  rememberedSlug?: string;
  weight: number;
  now: Date;
  policy: RewardPolicy;
  /** The session of the token the vote came with, checked against the voter as the batch reads it (absent: the caller checked). */
  session?: Pick<TokenSession, 'epoch' | 'jti'>;
  /**
   * Set by the favorite routes: the favorite wanted (`weight` is then ignored). The favorite is always
   * recorded; it is a 10000 upvote (an unfavorite removes the upvote) when the vote rules allow it,
   * and otherwise recorded without a vote, with the rule that refused it. Never refused by a vote rule.
   */
  favorite?: boolean;
}

/** The remembered slug no longer names the article (renamed or deleted since): look it up again. */
export class ArticleMovedFromSlug extends Error {}

export interface CastVoteResult {
  unchanged?: false;
  /** The voter's username, as the batch read it. */
  voterName: string;
  vote: { weight: number; rshares: bigint; changes: number; votedAt: number };
  applied: PendingVote;
  /** The post item (article or comment) as its batch's guarded write left it; absent when another path landed the vote. */
  post?: StoredPostItem;
  /** The post's author as the batch left them (reputation moved); absent when another path counted the reputation. */
  author?: ArticleAuthor;
  /** Whether the voter follows the post's author (read with the batch). */
  following: boolean;
  /** The reward fund as the batch read it, accrued and decayed to the vote's time (what estimates use). */
  fund: RewardFundState;
}

/** A favorite request that found the favorite already as asked: nothing written. */
export interface FavoriteUnchanged {
  unchanged: true;
  favorite: boolean;
}

export type VoteOutcome = CastVoteResult | FavoriteUnchanged;
