import { pingMongo } from '../../server/mongo';
import { startTestApi, type TestApi } from '../support/api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  api.services.readiness.register('database', async () => ({ ok: await pingMongo() }));
});
afterAll(() => api.close());

describe('health', () => {
  it('answers /healthz while the process is alive', async () => {
    await api.http().get('/healthz').expect(200, { status: 'ok' });
  });

  it('answers /readyz with every dependency, 503 while one is down', async () => {
    expect((await api.http().get('/readyz').expect(200)).body).toEqual({ status: 'ready', checks: { database: { ok: true } } });
    let treasuryFunded = false;
    api.services.readiness.register('payouts', () => ({ ok: treasuryFunded, detail: treasuryFunded ? undefined : 'treasury has insufficient funds' }));
    const degraded = await api.http().get('/readyz').expect(503);
    expect(degraded.body).toEqual({ status: 'degraded', checks: { database: { ok: true }, payouts: { ok: false, detail: 'treasury has insufficient funds' } } });
    treasuryFunded = true;
    await api.http().get('/readyz').expect(200);
    api.services.readiness.register('chain', () => {
      throw new Error('all nodes unreachable');
    });
    expect((await api.http().get('/readyz').expect(503)).body.checks.chain).toEqual({ ok: false, detail: 'all nodes unreachable' });
  });
});
