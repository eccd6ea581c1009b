import { EventModel } from '../../models/event';
import { NotificationModel } from '../../models/notification';
import { ReputationChangeModel } from '../../models/reputationChange';
import { UserModel } from '../../models/user';
import type { ArticleAuthor } from '../articles/articleViews';
import { inserted, touched, writeIgnoringDuplicates } from './driverWrites';
import { reputationCommits } from './groupCommitters';
import type { UserState } from './reads';
import { groupOps, type PendingVote } from './voteOp';
import { authorReputationWrite, deliveredVoteNotifications, reputationAfter, reputationChangeWrite, voteEvent } from './voteWrites';

/*
 * What a batch's votes move beyond their posts: the authors' reputation, the `vote.applied` events
 * and the authors' notifications. Each is one command for the batch and replays as a no-op.
 */

/**
 * Moves each author's reputation with one write per author guarded by the reputationSeq the batch
 * read, all in one command. The batch's votes were charged after that read, so none of them can be
 * counted yet unless another process rolled one forward, which moved the seq: if a guard fails, or an
 * author was not read, those votes go through the one-vote path, which skips what is counted. Returns
 * the authors the command left as it computed them.
 */
export async function countReputation(ops: PendingVote[], users: Map<string, UserState>): Promise<Map<string, ArticleAuthor>> {
  const unread: PendingVote[] = [];
  const plans: { author: UserState; ops: PendingVote[]; reputation: bigint; changes: { op: PendingVote; delta: bigint }[] }[] = [];
  for (const [authorId, authorOps] of groupOps(ops, (op) => op.author)) {
    const author = users.get(authorId);
    if (!author) unread.push(...authorOps);
    else plans.push({ author, ops: authorOps, ...reputationAfter(authorId, BigInt(author.reputation ?? '0'), authorOps, (voter) => BigInt(users.get(voter)?.reputation ?? '0')) });
  }
  let lost = unread;
  if (plans.length > 0) {
    await ReputationChangeModel.collection.bulkWrite(
      plans.flatMap((plan) => plan.changes.map(({ op, delta }) => ({ updateOne: reputationChangeWrite(plan.author._id, op, delta) }))),
      { ordered: false },
    );
    const now = new Date();
    const result = await UserModel.collection.bulkWrite(
      plans.map((plan) => {
        const { filter, update } = authorReputationWrite(plan.author, plan.reputation, plan.ops);
        return { updateOne: { filter, update: touched(update, now) } };
      }),
      { ordered: false },
    );
    if (result.modifiedCount < plans.length) lost = [...lost, ...plans.flatMap((plan) => plan.ops)];
  }
  await Promise.all(lost.map((op) => reputationCommits.submit(op.author, op)));
  if (lost.length > 0) return new Map();
  return new Map(plans.map(({ author, reputation }) => [author._id.toString(), profileOf(author, reputation)]));
}

function profileOf(author: UserState, reputation: bigint): ArticleAuthor {
  return { _id: author._id, username: author.username, bio: author.bio, image: author.image, steemAccount: author.steemAccount, reputation: reputation.toString() };
}

/** The batch's `vote.applied` events and the authors' notifications, by the notification rules (`mutes` as the batch read them). */
export async function recordEventsAndNotify(ops: PendingVote[], mutes: Set<string>): Promise<void> {
  if (ops.length === 0) return;
  const now = new Date();
  const delivered = deliveredVoteNotifications(ops, mutes);
  await Promise.all([
    EventModel.collection.insertMany(ops.map((op) => inserted(voteEvent(op), now))),
    delivered.length === 0
      ? undefined
      : writeIgnoringDuplicates(() =>
          NotificationModel.collection.insertMany(
            delivered.map((n) => inserted({ ...n, data: n.data ?? {} }, now, { actor: null, article: null, commentId: null })),
            { ordered: false },
          ),
        ),
  ]);
}
