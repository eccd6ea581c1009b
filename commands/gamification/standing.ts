import type { Types } from 'mongoose';
import { weeklyStreaks, type Streaks } from '../../domain/gamification/streaks';
import type { AuthorStanding } from '../../domain/gamification/badges';
import { ArticleModel } from '../../models/article';

/** An author's posts with positive net rshares: what streaks and activity badges count. */
async function positivePosts(author: Types.ObjectId) {
  return ArticleModel.find({ author, rankRshares: { $gt: 0 } }, { createdAt: 1, favoritesCount: 1 }).lean();
}

export async function authorStreaks(author: Types.ObjectId, now: Date): Promise<Streaks> {
  const posts = await positivePosts(author);
  return weeklyStreaks(posts.map((post) => post.createdAt as Date), now);
}

export async function authorStanding(author: Types.ObjectId, now: Date): Promise<AuthorStanding> {
  const posts = await positivePosts(author);
  return {
    positivePosts: posts.length,
    upvotesOnPositivePosts: posts.reduce((sum, post) => sum + post.favoritesCount, 0),
    longestStreakWeeks: weeklyStreaks(posts.map((post) => post.createdAt as Date), now).longest,
  };
}
