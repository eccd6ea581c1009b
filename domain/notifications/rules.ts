import type { AcceptedVote } from '../votes/voteRules';

/**
 * Who hears about what: the rules every notification follows, whichever path records it (one
 * `notify` call, or a vote batch's single insert). Ids are compared as strings.
 */

export interface NotificationParties {
  recipient: string;
  /** The user whose action the notification tells of; absent for system notifications. */
  actor?: string | null;
}

/** A notification about the recipient's own action tells them nothing. */
export function isOwnAction(parties: NotificationParties): boolean {
  return parties.actor != null && parties.actor === parties.recipient;
}

/** Whether a notification reaches its recipient: never about their own action, never from an actor they muted. */
export function isDelivered(parties: NotificationParties, actorMutedByRecipient: boolean): boolean {
  return !isOwnAction(parties) && !(parties.actor != null && actorMutedByRecipient);
}

/**
 * Whether an author hears of a vote on their post: every new vote does; a change or removal only
 * when it leaves the vote with rshares (a change to 0 rshares tells nothing new). A favorite recorded
 * without a vote is not a vote.
 */
export function voteIsNotified(vote: { kind: AcceptedVote['kind'] | 'favorite'; rshares: bigint }): boolean {
  if (vote.kind === 'favorite') return false;
  return vote.kind === 'new' || vote.rshares !== 0n;
}
