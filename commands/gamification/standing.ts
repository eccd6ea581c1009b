import type { Types } from 'mongoose';
import { netUpvotes, weeklyStreaks, type Streaks } from '../../domain/gamification/streaks';
import type { AuthorStanding } from '../../domain/gamification/badges';
import { ArticleModel } from '../../models/article';
import { CommentModel } from '../../models/comment';
import { VoteModel } from '../../models/vote';

/** An author's posts with positive net rshares: what streaks and activity badges count. */
async function positivePosts(author: Types.ObjectId) {
  return ArticleModel.find({ author, rankRshares: { $gt: 0 } }, { createdAt: 1 }).lean();
}

export async function authorStreaks(author: Types.ObjectId, now: Date): Promise<Streaks> {
  const posts = await positivePosts(author);
  return weeklyStreaks(posts.map((post) => post.createdAt as Date), now);
}

/** An author's comments with positive net rshares: their votes count towards upvote badges as an article's do. */
async function positiveComments(author: Types.ObjectId) {
  return CommentModel.find({ author, rankRshares: { $gt: 0 } }, { _id: 1 }).lean();
}

export async function authorStanding(author: Types.ObjectId, now: Date): Promise<AuthorStanding> {
  const [posts, comments] = await Promise.all([positivePosts(author), positiveComments(author)]);
  const voted = [...posts, ...comments].map((post) => post._id);
  // Only votes that carry stake count: a vote with zero rshares (an account without stake) farms nothing.
  // Votes on comments count by the same rules (net upvotes from others, each voter once a day, capped).
  const votes = voted.length === 0 ? [] : await VoteModel.find({ article: { $in: voted }, weight: { $ne: 0 }, rshares: { $ne: '0' } }, { voter: 1, weight: 1, createdAt: 1 }).lean();
  return {
    positivePosts: posts.length,
    netUpvotes: netUpvotes(
      author.toString(),
      votes.map((vote) => ({ voter: vote.voter.toString(), weight: vote.weight, at: vote.createdAt as Date })),
    ),
    longestStreakWeeks: weeklyStreaks(posts.map((post) => post.createdAt as Date), now).longest,
  };
}
