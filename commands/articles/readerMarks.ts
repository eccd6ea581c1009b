import { Types } from 'mongoose';
import { MuteModel } from '../../models/mute';
import { coalescingLoader } from '../../lib/coalesce';
import { followPairs } from '../profiles/follows';
import { favoritesOfReaders, type FavoriteVote } from './articleViews';

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
 * Each page's marks for its reader. The pages asked for by concurrent requests are looked up together:
 * one query for the readers' votes on those articles (each reader's branch an `(article, voter)` index
 * probe per article) and one for their follows of those authors. Ids are grouped as strings first, so a
 * busy reader's many concurrent pages cost one branch, not one per page.
 */
const marksLoader = coalescingLoader<MarksRequest, ReaderMarks[]>(async (requests) => {
  const articlesByReader = new Map<string, Set<string>>();
  const authors = new Set<string>();
  for (const { reader, articles } of requests) {
    let ids = articlesByReader.get(reader);
    if (!ids) articlesByReader.set(reader, (ids = new Set()));
    for (const { id, author } of articles) {
      ids.add(id);
      authors.add(author);
    }
  }
  const [favorites, following] = await Promise.all([
    favoritesOfReaders(articlesByReader),
    followPairs([...articlesByReader.keys()].map(objectId), [...authors].map(objectId)),
  ]);
  return new Map(
    requests.map((request) => [
      request,
      request.articles.map(({ id, author }) => {
        const favorite = favorites.get(`${request.reader}:${id}`);
        const follows = following.has(`${request.reader}:${author}`);
        if (!favorite && !follows) return NONE;
        return { favorited: favorite?.favorited ?? false, favoriteVote: favorite?.favoriteVote ?? null, following: follows };
      }),
    ]),
  );
}, { maxBatchSize: MARKS_BATCH_PAGES });

const objectId = (id: string) => new Types.ObjectId(id);

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
