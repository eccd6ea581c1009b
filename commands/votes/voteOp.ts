import type { AcceptedVote, LandingVote } from '../../domain/votes';

/**
 * A vote decided and charged to the voter, stored on the voter as `pendingVote` in the same guarded
 * update that debits the mana. Applying it to the vote record, the post's counters and the author's
 * reputation is idempotent, so whoever finds it pending (this request, the voter's next vote, or the
 * background roll-forward after a crash) rolls it forward: mana is spent exactly when the vote counts.
 */
export interface PendingVote {
  id: string;
  /** The post item voted on: an article's id, or a comment's `_id` (then `comment` is set). */
  article: string;
  /** On a comment vote: the comment's integer id and its article's id (events and notifications name the article). */
  comment?: { id: number; article: string };
  voter: string;
  author: string;
  /** `favorite`: a favorite or unfavorite recorded without a vote (no mana, rshares, reputation or event). */
  kind: AcceptedVote['kind'] | 'favorite';
  weight: number;
  rshares: string;
  changes: number;
  votedAt: number;
  oldRshares: string | null;
  oldWeight: number;
  /** w_i of the vote being changed (what a change removes from total_vote_weight). */
  oldCurationWeight: string;
  eligibleForCuration: boolean;
  secondsSinceCreated: number;
  /** The voter's favorite after and before (absent in operations from before favorites were kept apart: `weight > 0`). */
  favorite?: boolean;
  oldFavorite?: boolean;
  /** The vote rule that kept a favorite from being an upvote (or an unfavorite from removing one). */
  favoriteRefusal?: string | null;
}

/** The voter's favorite once this operation landed. */
export const favoriteAfter = (op: Pick<PendingVote, 'favorite' | 'weight'>) => op.favorite ?? op.weight > 0;

/** The voter's favorite before this operation. */
export const favoriteBefore = (op: Pick<PendingVote, 'oldFavorite' | 'oldWeight'>) => op.oldFavorite ?? op.oldWeight > 0;

/** The article a vote's notification and event name: the post's own, or the comment's article. */
export const articleOf = (op: Pick<PendingVote, 'article' | 'comment'>) => op.comment?.article ?? op.article;

/** Whether this operation moves votes (rshares, reputation, events), not only the favorite. */
export const isVote = (op: Pick<PendingVote, 'kind'>) => op.kind !== 'favorite';

/** How many applied operation ids a post and an author keep, to recognise a replayed one. */
export const APPLIED_OPS_KEPT = 200;

export const unix = (date: Date) => Math.floor(date.getTime() / 1000);

/** The operation as the domain's tally takes it. */
export function landingVote(op: PendingVote): LandingVote {
  return {
    id: op.id,
    kind: op.kind,
    weight: op.weight,
    oldWeight: op.oldWeight,
    rshares: BigInt(op.rshares),
    oldRshares: op.oldRshares === null ? null : BigInt(op.oldRshares),
    oldCurationWeight: BigInt(op.oldCurationWeight),
    eligibleForCuration: op.eligibleForCuration,
    secondsSinceCreated: op.secondsSinceCreated,
    favorite: favoriteAfter(op),
    oldFavorite: favoriteBefore(op),
  };
}

/** Operations grouped by a key (their post, their author), each group in the operations' order. */
export function groupOps(ops: PendingVote[], key: (op: PendingVote) => string): Map<string, PendingVote[]> {
  const groups = new Map<string, PendingVote[]>();
  for (const op of ops) {
    const group = groups.get(key(op));
    if (group) group.push(op);
    else groups.set(key(op), [op]);
  }
  return groups;
}
