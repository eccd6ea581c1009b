import type { Types } from 'mongoose';
import { ArticleModel } from '../../models/article';
import { VoteModel } from '../../models/vote';

/**
 * A favorite is a 10000 bp upvote; unfavoriting sets the vote to 0. The vote's previous weight
 * comes back from the same atomic upsert, so favoritesCount moves by exactly the change even when
 * requests race.
 */
export async function setFavorite(voter: Types.ObjectId, article: Types.ObjectId, favorite: boolean): Promise<void> {
  const weight = favorite ? 10000 : 0;
  const before = await VoteModel.findOneAndUpdate(
    { article, voter },
    { $set: { weight }, $setOnInsert: { changes: 0 } },
    { upsert: true, returnDocument: 'before' },
  ).lean();
  const wasUpvote = (before?.weight ?? 0) > 0;
  if (wasUpvote !== favorite) {
    await ArticleModel.updateOne({ _id: article }, { $inc: { favoritesCount: favorite ? 1 : -1 } });
  }
}
