import { Types } from 'mongoose';
import { MuteModel } from '../../models/mute';
import { coalescingLoader } from '../../lib/coalesce';
import { favoriteOfRecord, type FavoriteVote } from './articleViews';
import { VoteModel } from '../../models/vote';
import { FollowModel } from '../../models/follow';

/** What one reader sees differently in one article: their favorite and its worth, and whether they follow its author. */
export interface ReaderMarks {
  favorited: boolean;
  favoriteVote: FavoriteVote | null;
  following: boolean;
}

export interface ArticleAndAuthor {
  id: string;
  author: string;
}

interface MarksRequest {
  reader: string;
  articles: readonly ArticleAndAuthor[];
}

const NONE: ReaderMarks = { favorited: false, favoriteVote: null, following: false };

/**
 * Each page's marks for its reader. The pages asked for by concurrent requests are looked up together:
 * one query for the readers' votes on those articles (the (article, voter) index, probed per pair) and
 * one for their follows of those authors (the (follower, followee) index).
 */
const marksLoader = coalescingLoader<MarksRequest, ReaderMarks[]>(async (requests) => {
  const pairs = new Map<string, { voter: Types.ObjectId; article: Types.ObjectId }>();
  const follows = new Map<string, { follower: Types.ObjectId; followee: Types.ObjectId }>();
  for (const { reader, articles } of requests) {
    const readerId = new Types.ObjectId(reader);
    for (const { id, author } of articles) {
      pairs.set(`${reader}:${id}`, { voter: readerId, article: new Types.ObjectId(id) });
      follows.set(`${reader}:${author}`, { follower: readerId, followee: new Types.ObjectId(author) });
    }
  }
  const [votes, followed] = await Promise.all([
    pairs.size === 0 ? [] : VoteModel.find({ $or: [...pairs.values()] }, { article: 1, voter: 1, weight: 1, favorite: 1, favoriteRefusal: 1 }).lean(),
    follows.size === 0 ? [] : FollowModel.find({ $or: [...follows.values()] }, { follower: 1, followee: 1 }).lean(),
  ]);
  const favorites = new Map(votes.map((vote) => [`${vote.voter}:${vote.article}`, favoriteOfRecord(vote)]));
  const following = new Set(followed.map((follow) => `${follow.follower}:${follow.followee}`));
  return new Map(
    requests.map((request) => [
      request,
      request.articles.map(({ id, author }) => {
        const favorite = favorites.get(`${request.reader}:${id}`);
        if (!favorite && !following.has(`${request.reader}:${author}`)) return NONE;
        return { favorited: favorite?.favorited ?? false, favoriteVote: favorite?.favoriteVote ?? null, following: following.has(`${request.reader}:${author}`) };
      }),
    ]),
  );
});

/** What `reader` sees differently in each of these articles, in their order. */
export async function readerMarks(reader: Types.ObjectId, articles: readonly ArticleAndAuthor[]): Promise<ReaderMarks[]> {
  if (articles.length === 0) return [];
  return (await marksLoader.load({ reader: reader.toString(), articles }))!;
}

const mutesAnyoneLoader = coalescingLoader<string, boolean>(async (readers) => {
  const muters = await MuteModel.distinct('muter', { muter: { $in: [...new Set(readers)].map((id) => new Types.ObjectId(id)) } });
  const found = new Set(muters.map(String));
  return new Map(readers.map((reader) => [reader, found.has(reader)]));
});

/** Whether `reader` mutes anyone (then their lists leave those authors out and cannot be shared). */
export async function mutesAnyone(reader: Types.ObjectId): Promise<boolean> {
  return (await mutesAnyoneLoader.load(reader.toString())) ?? false;
}
