import type { ListedVote } from '../../commands/votes/listVotes';
import type { VotePreview, ViewerMana } from '../../commands/votes/votePreview';
import type { VoteCast } from '../../commands/votes/voteOnArticle';
import { formatSteem, formatVests } from '../../domain/money';
import { manaPercent } from '../../domain/votes';

/** A vote as cast (rshares as a decimal string, the time it was cast). */
export function presentCastVote(cast: Pick<VoteCast, 'voterName' | 'vote'>) {
  const { vote } = cast;
  return { voter: cast.voterName, weight: vote.weight, rshares: vote.rshares.toString(), createdAt: new Date(vote.votedAt * 1000).toISOString(), changes: vote.changes };
}

/** A vote in an article's vote list; a voter whose account is gone shows as `[deleted]`. */
export function presentListedVote(vote: ListedVote) {
  return { voter: vote.voter ?? '[deleted]', weight: vote.weight, rshares: vote.rshares, createdAt: vote.createdAt.toISOString() };
}

/** What a vote would add now: always an estimate. */
export function presentVotePreview(preview: VotePreview) {
  return { rshares: preview.rshares.toString(), pendingPayoutAfter: formatSteem(preview.pendingPayoutAfter), curationEstimate: formatSteem(preview.curationEstimate), isEstimate: true };
}

/** The viewer's stake and each manabar: mana as decimal strings, and the percent of the bar. */
export function presentMana(mana: ViewerMana) {
  const bar = (current: bigint, max: bigint) => ({ current: current.toString(), max: max.toString(), percent: manaPercent(current, max) });
  return { stake: formatVests(mana.stake), votingMana: bar(mana.voting, mana.stake), downvoteMana: bar(mana.downvote, mana.downvoteMax) };
}
