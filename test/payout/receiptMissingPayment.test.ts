import { Types } from 'mongoose';
import { ArticleModel } from '../../models/article';
import { PaymentModel } from '../../models/payment';
import { SettlementModel } from '../../models/settlement';
import { UserModel } from '../../models/user';
import { registerUser, auth, startTestApi, type TestApi } from '../support/api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

/** A committed settlement of the article with an author and a curator share, as the payout worker writes it. */
async function settle(slug: string, author: { id: Types.ObjectId; username: string }, curator: { id: Types.ObjectId; username: string }) {
  const article = await ArticleModel.findOne({ slug }).lean();
  const batch = `batch-${new Types.ObjectId().toString()}`;
  await SettlementModel.create({
    article: article!._id,
    slug,
    author: author.id,
    batch,
    status: 'committed',
    policyVersion: '1',
    settledAt: new Date(),
    claims: '10',
    outcome: 'paid',
    uncappedPayout: '3000',
    payout: '3000',
    curationTokens: '1000',
    authorTokens: '2000',
    returnedToFund: '0',
    distributed: '3000',
    entries: [
      { role: 'author', user: author.id, username: author.username, liquid: '1000', power: '1000' },
      { role: 'curator', user: curator.id, username: curator.username, liquid: '0', power: '1000' },
    ],
  });
  return batch;
}

const payment = (batch: string, user: Types.ObjectId, status: 'settled' | 'queued') => ({
  key: `${batch}:u:${user.toString()}`,
  batch,
  user,
  liquid: '0',
  power: '0',
  shares: [],
  status,
  txId: status === 'settled' ? 'a'.repeat(40) : null,
});

describe("an article's payout receipt", () => {
  it('shows a share whose payment record is missing as `missing`, and the receipt as `incomplete`, never `settled`', async () => {
    const author = await registerUser(api);
    const curator = await registerUser(api);
    const { body } = await api.http().post('/api/articles').set(auth(author.token)).send({ article: { title: 'Receipts', description: '', body: 'text' } }).expect(201);
    const idOf = async (username: string) => (await UserModel.findOne({ username }, { _id: 1 }).lean())!._id;
    const [authorId, curatorId] = await Promise.all([idOf(author.username), idOf(curator.username)]);
    const batch = await settle(body.article.slug, { id: authorId, username: author.username }, { id: curatorId, username: curator.username });
    await PaymentModel.create(payment(batch, authorId, 'settled'));

    const receipt = (await api.http().get(`/api/articles/${body.article.slug}/payout`).expect(200)).body.payout;
    expect(receipt.status).toBe('incomplete');
    const byRole = Object.fromEntries(receipt.shares.map((s: { role: string; status: string }) => [s.role, s.status]));
    expect(byRole).toEqual({ author: 'settled', curator: 'missing' });

    // Once the curator's payment is there, the receipt follows the payments again.
    await PaymentModel.create(payment(batch, curatorId, 'settled'));
    const complete = (await api.http().get(`/api/articles/${body.article.slug}/payout`).expect(200)).body.payout;
    expect(complete.status).toBe('settled');
    expect(complete.shares.map((s: { status: string }) => s.status)).toEqual(['settled', 'settled']);
  });
});
