import type { Collection, Document, Filter } from 'mongodb';
import type { Types } from 'mongoose';
import type { SessionState } from '../../lib/auth/sessions';
import { ArticleModel } from '../../models/article';
import { CommentModel } from '../../models/comment';
import { FollowModel } from '../../models/follow';
import { MuteModel } from '../../models/mute';
import { UserModel } from '../../models/user';
import { VoteModel } from '../../models/vote';
import type { ArticleAuthor } from '../articles/articleViews';
import { STORED_ARTICLE_PROJECTION, type StoredArticle } from '../articles/findArticle';
import type { StoredComment } from '../comments/comments';
import { uniqueIds } from '../objectIds';
import type { PendingVote } from './voteOp';
import type { TallyPost } from './voteWrites';

/*
 * A batch's reads: one round of queries, through the driver (see driverWrites.ts), for everything
 * the batch needs until it writes.
 */

const USER_FIELDS = {
  stakeVests: 1, votingMana: 1, downvoteMana: 1, lastVoteTime: 1, voteSeq: 1, pendingVote: 1, reputation: 1, reputationSeq: 1, username: 1, bio: 1, image: 1, steemAccount: 1, sessionEpoch: 1, revokedSessions: 1,
} as const;

/**
 * A voter's or an author's state as a batch reads it: what deciding, charging and counting reputation
 * need, and the author's profile the answer shows.
 */
export interface UserState extends Omit<ArticleAuthor, 'reputation'>, SessionState {
  _id: Types.ObjectId;
  stakeVests: string | null;
  votingMana?: { current: string | null; lastUpdate: number };
  downvoteMana?: { current: string | null; lastUpdate: number };
  lastVoteTime: number | null;
  voteSeq: number;
  pendingVote: PendingVote | null;
  reputation: string;
  reputationSeq: number;
}

/**
 * A post as a batch reads it: what deciding and landing votes need (`POST_TALLY_FIELDS` and more),
 * and all that the answer presents, so that no vote reads its article (or comment) again.
 */
export const BATCH_POST_PROJECTION = STORED_ARTICLE_PROJECTION;

/** A post item: an article, or a comment (on Steem a reply is a post, voted and paid by the same rules). */
export type StoredPostItem = StoredArticle | StoredComment;

export type PostState = StoredPostItem & TallyPost & { voteSeq: number };

/** Whether a post item is a comment (articles have slugs, comments do not). */
export const isCommentItem = <T extends StoredPostItem>(post: T): post is Extract<T, StoredComment> => !('slug' in post);

/** The voter's vote record on the post, as stored. */
export interface StoredVote {
  article: Types.ObjectId;
  voter: Types.ObjectId;
  weight: number;
  rshares: string;
  curationWeight: string;
  changes: number;
  /** Absent on records from before favorites were kept apart (then `weight > 0`). */
  favorite?: boolean;
  favoriteRefusal?: string | null;
}

export interface BatchReads {
  /** Voters and authors. */
  users: Map<string, UserState>;
  posts: Map<string, PostState>;
  /** Existing votes by `article:voter` (see `voteKey`). */
  existing: Map<string, StoredVote>;
  /** `muter:muted` for the authors who muted a voter of the batch. */
  mutes: Set<string>;
  /** `follower:followee` for the voters who follow an author of the batch. */
  follows: Set<string>;
}

export const voteKey = (article: { toString(): string }, voter: { toString(): string }) => `${article}:${voter}`;

/** A read through the driver: the documents as stored (what mongoose's lean() gives). */
async function readAll<T>(collection: Collection, filter: Filter<Document>, projection: Document): Promise<T[]> {
  return (await collection.find(filter, { projection }).toArray()) as unknown as T[];
}

const byId = <T extends { _id: Types.ObjectId }>(docs: T[]) => new Map(docs.map((doc) => [doc._id.toString(), doc]));

/** The post items of a batch: its articles and its comments, each collection read once (and only when the batch votes on it). */
async function readPosts(votes: { article: Types.ObjectId; comment?: unknown }[]): Promise<PostState[]> {
  const articles = uniqueIds(votes.filter((v) => v.comment === undefined).map((v) => v.article));
  const comments = uniqueIds(votes.filter((v) => v.comment !== undefined).map((v) => v.article));
  const [fromArticles, fromComments] = await Promise.all([
    articles.length > 0 ? readAll<PostState>(ArticleModel.collection, { _id: { $in: articles } }, BATCH_POST_PROJECTION) : [],
    comments.length > 0 ? readAll<PostState>(CommentModel.collection, { _id: { $in: comments } }, BATCH_POST_PROJECTION) : [],
  ]);
  return [...fromArticles, ...fromComments];
}

export async function readBatch(votes: { voter: Types.ObjectId; article: Types.ObjectId; author: Types.ObjectId; comment?: unknown }[]): Promise<BatchReads> {
  const voterIds = uniqueIds(votes.map((v) => v.voter));
  const authorIds = uniqueIds(votes.map((v) => v.author));
  const [users, posts, existing, mutes, follows] = await Promise.all([
    readAll<UserState>(UserModel.collection, { _id: { $in: uniqueIds([...voterIds, ...authorIds]) } }, USER_FIELDS),
    readPosts(votes),
    // The exact (article, voter) pairs: one index probe each, not one per voter and article.
    readAll<StoredVote>(VoteModel.collection, { $or: votes.map((v) => ({ article: v.article, voter: v.voter })) }, { article: 1, voter: 1, weight: 1, rshares: 1, curationWeight: 1, changes: 1, favorite: 1, favoriteRefusal: 1 }),
    readAll<{ muter: Types.ObjectId; muted: Types.ObjectId }>(MuteModel.collection, { muter: { $in: authorIds }, muted: { $in: voterIds } }, { muter: 1, muted: 1 }),
    readAll<{ follower: Types.ObjectId; followee: Types.ObjectId }>(FollowModel.collection, { follower: { $in: voterIds }, followee: { $in: authorIds } }, { follower: 1, followee: 1 }),
  ]);
  return {
    users: byId(users),
    posts: byId(posts),
    existing: new Map(existing.map((vote) => [voteKey(vote.article, vote.voter), vote])),
    mutes: new Set(mutes.map((mute) => `${mute.muter}:${mute.muted}`)),
    follows: new Set(follows.map((follow) => `${follow.follower}:${follow.followee}`)),
  };
}
