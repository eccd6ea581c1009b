import type { Types } from 'mongoose';
import { ArticleModel } from '../../models/article';
import { UserModel } from '../../models/user';
import { createArticle } from '../articles/createArticle';
import type { StoredArticle } from '../articles/findArticle';
import { addComment } from '../comments/comments';
import { followUser } from '../profiles/follows';
import { registerUser } from '../users/registerUser';
import { updateUser } from '../users/updateUser';
import { castVote } from '../votes/castVote';
import type { RewardPolicy } from '../../domain/rewards';
import { DEMO_ARTICLES, DEMO_AUTHORS, DEMO_COMMENTS, DEMO_FOLLOWS, DEMO_PASSWORD, DEMO_READERS, DEMO_VOTES } from './demoContent';

export type DemoSeedResult =
  | { seeded: true; users: number; articles: number; comments: number; votes: number; follows: number }
  | { seeded: false; reason: string };

/** The email a demo account logs in with: `reader_priya` → `reader.priya@demo.inkwell.test`. */
export const demoEmail = (username: string) => `${username.replace(/_/g, '.')}@demo.inkwell.test`;

/** Steem refuses a voter's second vote within 3 seconds; the demo's votes by one voter are this far apart. */
const VOTE_SPACING_MS = 3_500;

/**
 * Loads the demo site (authors, readers, articles, comments, votes, follows) into an empty
 * development database, through the same commands the API uses, so counters, mana, rshares,
 * pending payouts and notifications are what they would be had people done it. Refused in
 * production; a database that already has users or articles is left alone.
 */
export async function seedDemo(settings: { env: string; policy: RewardPolicy; now: Date }): Promise<DemoSeedResult> {
  if (settings.env === 'production') return { seeded: false, reason: 'demo content is never loaded with NODE_ENV=production' };
  const [users, articles] = await Promise.all([UserModel.estimatedDocumentCount(), ArticleModel.estimatedDocumentCount()]);
  if (users > 0 || articles > 0) {
    return { seeded: false, reason: `the database is not empty (${users} users, ${articles} articles): demo content is only loaded into an empty database` };
  }

  const ids = new Map<string, Types.ObjectId>();
  await Promise.all(
    [...DEMO_AUTHORS, ...DEMO_READERS].map(async (account) => {
      const user = await registerUser({ username: account.username, email: demoEmail(account.username), password: DEMO_PASSWORD });
      await updateUser(user._id, { bio: account.bio });
      ids.set(account.username, user._id);
    }),
  );
  const idOf = (username: string) => ids.get(username)!;

  const payoutAt = new Date(settings.now.getTime() + settings.policy.payoutWindowSeconds * 1000);
  const posts = new Map<string, StoredArticle>();
  await Promise.all(
    DEMO_ARTICLES.map(async ({ author, ...fields }) => {
      posts.set(fields.title, await createArticle(idOf(author), fields, { payoutAt }));
    }),
  );
  const postOf = (title: string) => posts.get(title)!;

  for (const follow of DEMO_FOLLOWS) await followUser(idOf(follow.follower), idOf(follow.followee));

  const commentIds: number[] = [];
  for (const comment of DEMO_COMMENTS) {
    const parentId = comment.replyTo === undefined ? undefined : commentIds[comment.replyTo];
    const created = await addComment(idOf(comment.author), postOf(comment.article), { body: comment.body, ...(parentId === undefined ? {} : { parentId }), payoutAt });
    commentIds.push(created.id);
  }

  // Voters vote side by side (the vote batch takes them together); each voter's votes go in order, spaced.
  const voters = [...new Set(DEMO_VOTES.map((vote) => vote.voter))];
  await Promise.all(
    voters.map(async (voter) => {
      const votes = DEMO_VOTES.filter((vote) => vote.voter === voter);
      for (const [earlier, vote] of votes.entries()) {
        const post = postOf(vote.article);
        await castVote({
          voter: idOf(voter),
          article: post._id,
          author: post.author,
          weight: vote.weight,
          now: new Date(settings.now.getTime() + earlier * VOTE_SPACING_MS),
          policy: settings.policy,
        });
      }
    }),
  );

  return { seeded: true, users: ids.size, articles: posts.size, comments: commentIds.length, votes: DEMO_VOTES.length, follows: DEMO_FOLLOWS.length };
}
