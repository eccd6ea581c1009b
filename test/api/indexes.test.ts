import { Types } from 'mongoose';
import { ArticleModel } from '../../models/article';
import { CommentModel } from '../../models/comment';
import { FollowModel } from '../../models/follow';
import { TagModel } from '../../models/tag';
import { UserModel } from '../../models/user';
import { VoteModel } from '../../models/vote';
import { NotificationModel } from '../../models/notification';
import { SettlementModel } from '../../models/settlement';
import { scanStages } from '../support/explain';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

/** Every hot-path query is answered from an index: asserted with the backend's query planner. */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  const { token } = await registerUser(api);
  for (let i = 0; i < 30; i += 1) {
    await api.http().post('/api/articles').set(auth(token)).send({ article: { title: `Indexed ${i}`, description: '', body: 'b', tagList: [`t${i % 3}`] } });
  }
});
afterAll(() => api.close());

const someId = new Types.ObjectId();
const NEWEST = { createdAt: -1, _id: -1 } as const;

it.each([
  ['GET /api/articles', () => ArticleModel.find({}).sort(NEWEST).limit(20), 'createdAt_-1__id_-1'],
  ['?author=', () => ArticleModel.find({ author: someId }).sort(NEWEST).limit(20), 'author_1_createdAt_-1'],
  ['?tag=', () => ArticleModel.find({ tagList: 't1' }).sort(NEWEST).limit(20), 'tagList_1_createdAt_-1'],
  ['?q= (search)', () => ArticleModel.find({ $text: { $search: 'indexed' } }).sort({ score: { $meta: 'textScore' }, ...NEWEST }).limit(20), 'articles_text'],
  ['feed', () => ArticleModel.find({ author: { $in: [someId, new Types.ObjectId()] } }).sort(NEWEST).limit(20), 'author_1_createdAt_-1'],
  ['?favorited= (votes)', () => VoteModel.find({ voter: someId, favorite: true }).sort({ createdAt: -1 }).skip(20).limit(20), 'voter_1_favorite_1_createdAt_-1'],
  ['article by slug', () => ArticleModel.findOne({ slug: 'indexed-1' }), 'slug_1'],
  ['article by old slug', () => ArticleModel.findOne({ previousSlugs: 'old' }), 'previousSlugs_1'],
  ['profile by name', () => UserModel.findOne({ usernameKey: 'someone' }), 'usernameKey_1'],
  ['follows of a reader', () => FollowModel.find({ follower: someId }), 'follower_1_followee_1'],
  ['comments of an article', () => CommentModel.find({ article: someId }).sort({ createdAt: 1 }).skip(100).limit(100), 'article_1_createdAt_1'],
  ['GET /api/tags', () => TagModel.find({ count: { $gt: 0 } }).sort({ count: -1, _id: 1 }).limit(1000), 'count_-1__id_1'],
  ['notifications', () => NotificationModel.find({ recipient: someId }).sort({ createdAt: -1, _id: -1 }).limit(20), 'recipient_1_createdAt_-1__id_-1'],
  ['payout leaderboards (settlements of a period)', () => SettlementModel.find({ status: 'committed', settledAt: { $gte: new Date(0), $lt: new Date() } }), 'settledAt_1'],
])('%s is an index scan', async (_name, query, indexName) => {
  const stages = scanStages(await query().explain());
  expect(stages.map((s) => s.stage)).not.toContain('COLLSCAN');
  expect(stages.map((s) => s.indexName)).toContain(indexName);
});
