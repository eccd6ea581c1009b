import { MongoClient, MongoServerError, type Collection, type Document } from 'mongodb';
import { startMongoStandin, type RunningStandin } from '../../devinfra/mongo-standin';
import { parseTextQuery } from '../../devinfra/mongo-standin/engine/textIndex';
import { scoreString, terms } from '../../devinfra/mongo-standin/engine/textTerms';

/**
 * The stand-in's `$text` against the scores mongod gives. Each expected score is worked out by hand
 * from mongod's formula (FTSSpec::_scoreStringV2): per string of a weighted field, a term seen n times
 * among its N terms (stop words left out) scores weight × (1 + 1/2 + … + 1/2^(n−1)) × (0.5 + 0.5·n/N),
 * × 1.1 when the whole string is the term; a document's textScore adds its scores of the query's terms.
 */
let standin: RunningStandin;
let client: MongoClient;
let posts: Collection<{ _id: number; title: string; body: string; score?: number }>;

beforeAll(async () => {
  standin = await startMongoStandin();
  client = await new MongoClient(standin.uri).connect();
  posts = client.db('text').collection<{ _id: number; title: string; body: string; score?: number }>('posts');
  await posts.createIndex({ title: 'text', body: 'text' }, { weights: { title: 10, body: 1 }, default_language: 'english', name: 'posts_text' });
  await posts.insertMany([
    { _id: 1, title: 'Running', body: 'The runner runs and keeps running every day' },
    { _id: 2, title: 'Cooking', body: 'run' },
    { _id: 3, title: 'Walking', body: 'walk walk walk' },
    { _id: 4, title: "Don't stop", body: 'A well-known café' },
  ]);
});
afterAll(async () => {
  await client?.close();
  await standin?.stop();
});

const search = (text: string, filter: Document = {}) =>
  posts.find({ $text: { $search: text }, ...filter }, { projection: { score: { $meta: 'textScore' } }, sort: { score: { $meta: 'textScore' }, _id: 1 } }).toArray();
const ids = (docs: Document[]) => docs.map((doc) => doc._id as number);

describe('tokenising as mongod does (english)', () => {
  it('splits at punctuation and hyphens but not apostrophes, drops stop words, stems with Snowball English (Porter2)', () => {
    expect(terms("The runner's well-known café, don't you agree? generously")).toEqual(['runner', 'well', 'known', 'cafe', 'agre', 'generous']);
    // The stemmer sees the diacritics (to it "ünïcödé" has no vowel, so no suffix is taken off); they go after stemming.
    expect(terms('Ünïcödé unicode words_with_underscores')).toEqual(['unicode', 'unicod', 'words_with_underscor']);
  });

  it('reads words, "phrases" and -negations as mongod query parser does', () => {
    const query = parseTextQuery('cats -dogs "big tree" -"old house" a-b - c');
    expect([...query.positiveTerms].sort()).toEqual(['b', 'big', 'c', 'cat', 'tree']);
    expect([...query.negatedTerms]).toEqual(['dog']);
    expect(query.positivePhrases).toEqual(['big tree']);
    expect(query.negatedPhrases).toEqual(['old house']);
  });

  it('scores one string by the formula (worked by hand)', () => {
    const scores = new Map<string, number>();
    // run ×2 among 6 terms: 1 × 1.5 × (0.5 + 0.5·2/6) = 1; runner ×1: 0.5 + 0.5/6
    scoreString('The runner runs and keeps running every day', 1, scores);
    expect(scores.get('run')).toBeCloseTo(1, 12);
    expect(scores.get('runner')).toBeCloseTo(0.5 + 0.5 / 6, 12);
    expect(scores.get('everi')).toBeCloseTo(0.5 + 0.5 / 6, 12);
    expect(scores.has('the')).toBe(false);
    const whole = new Map<string, number>();
    scoreString('run', 1, whole); // the whole string is the term: × 1.1
    expect(whole.get('run')).toBeCloseTo(1.1, 12);
  });
});

describe('$text queries', () => {
  it('match any term, by textScore (title weight 10, body 1)', async () => {
    const found = await search('running');
    expect(ids(found)).toEqual([1, 2]);
    expect(found[0]!.score).toBeCloseTo(10 + 1, 12); // title "Running": 10 × 1 × 1; body: 1
    expect(found[1]!.score).toBeCloseTo(1.1, 12); // body "run", the whole string
    const both = await search('runs walks');
    expect(ids(both)).toEqual([3, 1, 2]);
    expect(both[0]!.score).toBeCloseTo(10 + 1.75, 12); // walk ×3 among 3 terms: 1 + 1/2 + 1/4
  });

  it('phrases must appear (case and diacritics aside), and their words are terms', async () => {
    const found = await search('"Runner RUNS"');
    expect(ids(found)).toEqual([1]);
    expect(found[0]!.score).toBeCloseTo(11 + 0.5 + 0.5 / 6, 12);
    expect(ids(await search('"well-known cafe"'))).toEqual([4]);
  });

  it('negated terms and phrases exclude documents', async () => {
    expect(ids(await search('run -cooking'))).toEqual([1]);
    expect(ids(await search('run -"every day"'))).toEqual([2]);
    expect(ids(await search('-run'))).toEqual([]);
  });

  it('stop words alone match nothing', async () => {
    expect(ids(await search("the and don't"))).toEqual([]);
    expect(ids(await search('stop'))).toEqual([4]);
  });

  it('combine with other conditions, counts, skip and limit', async () => {
    expect(ids(await search('run walk', { _id: { $gt: 1 } }))).toEqual([3, 2]);
    expect(await posts.countDocuments({ $text: { $search: 'run walk' } })).toBe(3);
    const second = await posts.find({ $text: { $search: 'run walk' } }).sort({ score: { $meta: 'textScore' } }).skip(1).limit(1).toArray();
    expect(ids(second)).toEqual([1]);
    expect(second[0]!.score).toBeUndefined(); // sorted by score without projecting it
  });

  it('project the score beside an exclusion', async () => {
    const [doc] = await posts.find({ $text: { $search: 'cooking' } }, { projection: { body: 0, score: { $meta: 'textScore' } } }).toArray();
    expect(doc).toEqual({ _id: 2, title: 'Cooking', score: 10 });
  });

  it('the text index is listed as mongod lists it', async () => {
    const indexes = await posts.listIndexes().toArray();
    expect(indexes.find((index) => index.name === 'posts_text')).toEqual({
      v: 2,
      key: { _fts: 'text', _ftsx: 1 },
      name: 'posts_text',
      weights: { body: 1, title: 10 },
      default_language: 'english',
      language_override: 'language',
      textIndexVersion: 3,
    });
    // The same index again is a no-op.
    await posts.createIndex({ title: 'text', body: 'text' }, { weights: { title: 10, body: 1 }, default_language: 'english', name: 'posts_text' });
  });
});

describe('what mongod refuses', () => {
  const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as MongoServerError);

  it('$text without a text index: code 27', async () => {
    const error = await failure(client.db('text').collection('plain').find({ $text: { $search: 'x' } }).toArray());
    expect(error).toMatchObject({ code: 27, codeName: 'IndexNotFound', message: 'text index required for $text query' });
  });

  it('a second text index: code 85', async () => {
    expect(await failure(posts.createIndex({ body: 'text' }))).toMatchObject({ code: 85 });
  });

  it('$text below the top level', async () => {
    expect(await failure(posts.find({ $nor: [{ $text: { $search: 'run' } }] }).toArray())).toMatchObject({ code: 2, message: 'text expression not allowed in nor' });
    expect(await failure(posts.find({ $or: [{ $text: { $search: 'run' } }, { _id: 1 }] }).toArray())).toMatchObject({ code: 2, message: expect.stringContaining('offline stand-in') });
  });

  it('textScore without $text, and $text after the first stage', async () => {
    expect(await failure(posts.find({}).sort({ score: { $meta: 'textScore' } }).toArray())).toMatchObject({ code: 40218 });
    expect(await failure(posts.find({}, { projection: { score: { $meta: 'textScore' } } }).toArray())).toMatchObject({ code: 40218 });
    expect(await failure(posts.aggregate([{ $match: {} }, { $match: { $text: { $search: 'run' } } }]).toArray())).toMatchObject({ code: 17313 });
  });

  it('languages other than english are refused clearly', async () => {
    const other = client.db('text').collection('other');
    expect(await failure(other.createIndex({ body: 'text' }, { default_language: 'french' }))).toMatchObject({ code: 67, message: expect.stringContaining('offline stand-in') });
  });
});
