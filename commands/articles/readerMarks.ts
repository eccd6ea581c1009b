import { Types } from 'mongoose';
import { MuteModel } from '../../models/mute';
import { coalescingLoader } from '../../lib/coalesce';
import { uniqueIds } from '../objectIds';
import { followPairs } from '../profiles/follows';
import { favoritesAmong, type FavoriteVote } from './articleViews';

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
 * Pages looked up in one pair of queries: a page holds at most 100 articles (the list limit), so a batch
 * asks for at most 5,000 exact (voter, article) pairs, each an index probe.
 */
export const MARKS_BATCH_PAGES = 50;

/**
 * Each page's marks for its reader. The pages asked for by concurrent requests are looked up together,
 * with the queries `articleViews` uses: one for the readers' votes on those articles and one for their
 * follows of those authors.
 */
const marksLoader = coalescingLoader<MarksRequest, ReaderMarks[]>(async (requests) => {
  const pairs = requests.flatMap(({ reader, articles }) => articles.map(({ id }) => ({ voter: new Types.ObjectId(reader), article: new Types.ObjectId(id) })));
  const authors = requests.flatMap(({ articles }) => articles.map(({ author }) => new Types.ObjectId(author)));
  const [favorites, following] = await Promise.all([
    favoritesAmong(pairs),
    followPairs(uniqueIds(requests.map(({ reader }) => new Types.ObjectId(reader))), uniqueIds(authors)),
  ]);
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
}, { maxBatchSize: MARKS_BATCH_PAGES });

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
