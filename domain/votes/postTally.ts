import { curationWeight } from '../rewards/curationWeight';

/** A post's vote counters, as steemd keeps them on a comment. */
export interface PostVoteCounters {
  netRshares: bigint;
  absRshares: bigint;
  /** Sum of new upvotes' rshares: the curation curve's input (steemd leaves it alone on changes). */
  voteRshares: bigint;
  totalVoteWeight: bigint;
}

/**
 * A charged vote as it lands on the post. `favorite` is a favorite recorded without a vote (the
 * rules refused the upvote, or the voter's vote already says it): it moves favoritesCount only.
 */
export interface LandingVote {
  id: string;
  kind: 'new' | 'change' | 'removal' | 'favorite';
  weight: number;
  oldWeight: number;
  rshares: bigint;
  /** null for a new vote. */
  oldRshares: bigint | null;
  /** w_i of the vote being changed: what a change removes from total_vote_weight. */
  oldCurationWeight: bigint;
  eligibleForCuration: boolean;
  secondsSinceCreated: number;
  /** The voter's RealWorld favorite after and before this operation (default: an upvote is a favorite). */
  favorite?: boolean;
  oldFavorite?: boolean;
}

export interface TallyPolicy {
  contentConstant: bigint;
  reverseAuctionSeconds: number;
}

export interface VoteTally {
  counters: PostVoteCounters;
  upvotesDelta: number;
  downvotesDelta: number;
  /** RealWorld's favoritesCount: favorites, rewarded or not. */
  favoritesDelta: number;
  /** One per vote, in order: its curation weight w_i and the raw weight before the reverse auction. */
  curation: { id: string; weight: bigint; raw: bigint }[];
}

const abs = (value: bigint) => (value < 0n ? -value : value);

/** How a vote moves RealWorld's favoritesCount: +1 for a favorite made, −1 for one taken back (an upvote is a favorite unless told). */
export function favoriteCountDelta(vote: Pick<LandingVote, 'weight' | 'oldWeight' | 'favorite' | 'oldFavorite'>): number {
  return ((vote.favorite ?? vote.weight > 0) ? 1 : 0) - ((vote.oldFavorite ?? vote.oldWeight > 0) ? 1 : 0);
}

/**
 * Lands votes on a post in order. Each new upvote's curation weight depends on the post's
 * vote_rshares at the moment it lands, so the order is the order the votes were charged.
 */
export function tallyVotes(post: { counters: PostVoteCounters; allowCurationRewards: boolean }, votes: LandingVote[], policy: TallyPolicy): VoteTally {
  let { netRshares, absRshares, voteRshares, totalVoteWeight } = post.counters;
  let upvotesDelta = 0;
  let downvotesDelta = 0;
  let favoritesDelta = 0;
  const curation: VoteTally['curation'] = [];
  for (const vote of votes) {
    favoritesDelta += favoriteCountDelta(vote);
    if (vote.kind === 'favorite') {
      curation.push({ id: vote.id, weight: 0n, raw: 0n });
      continue;
    }
    const oldRshares = vote.oldRshares ?? 0n;
    const earned =
      vote.eligibleForCuration && post.allowCurationRewards
        ? curationWeight({
            voteRsharesBefore: voteRshares,
            rshares: vote.rshares,
            secondsSinceCreated: vote.secondsSinceCreated,
            contentConstant: policy.contentConstant,
            reverseAuctionSeconds: policy.reverseAuctionSeconds,
          })
        : { raw: 0n, weight: 0n };
    netRshares += vote.rshares - oldRshares;
    absRshares += abs(vote.rshares) - abs(oldRshares);
    if (vote.kind === 'new' && vote.rshares > 0n) voteRshares += vote.rshares;
    totalVoteWeight += earned.raw - (vote.kind === 'new' ? 0n : vote.oldCurationWeight);
    if (totalVoteWeight < 0n) totalVoteWeight = 0n;
    upvotesDelta += (vote.weight > 0 ? 1 : 0) - (vote.oldWeight > 0 ? 1 : 0);
    downvotesDelta += (vote.weight < 0 ? 1 : 0) - (vote.oldWeight < 0 ? 1 : 0);
    curation.push({ id: vote.id, weight: earned.weight, raw: earned.raw });
  }
  return { counters: { netRshares, absRshares, voteRshares, totalVoteWeight }, upvotesDelta, downvotesDelta, favoritesDelta, curation };
}
