import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { seedDemo } from '../../commands/seed/demoSeed';
import { DEMO_ARTICLES, DEMO_COMMENTS, DEMO_PASSWORD } from '../../commands/seed/demoContent';
import { auth, startTestApi, type TestApi } from '../support/api';

/** The demo site: loaded through the API's own commands into an empty development database, and only there. */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

// Start-up seeds before the API serves; here the API has answered already, so its read cache is emptied after.
async function seed(env = 'development') {
  const result = await seedDemo({ env, policy: api.services.policy, now: api.services.clock.now() });
  api.services.readCache.invalidate();
  return result;
}

it('is refused with NODE_ENV=production, before anything is written', async () => {
  expect(await seed('production')).toEqual({ seeded: false, reason: 'demo content is never loaded with NODE_ENV=production' });
  expect((await api.http().get('/api/articles').expect(200)).body.articlesCount).toBe(0);
});

// Seven password hashes, five renders and ten votes: generous time for a loaded machine.
it('fills an empty database with a living site: articles, comments, follows and votes that count', async () => {
  const result = await seed();
  expect(result).toEqual({ seeded: true, users: 7, articles: DEMO_ARTICLES.length, comments: DEMO_COMMENTS.length, votes: 10, follows: 4 });

  const { body } = await api.http().get('/api/articles').expect(200);
  expect(body.articlesCount).toBe(DEMO_ARTICLES.length);
  const guide = (await api.http().get('/api/articles/a-field-guide-to-writing-on-inkwell').expect(200)).body.article;
  expect(guide.author.username).toBe('mara_quill');
  expect(guide.bodyHtml).toContain('<h2');
  expect(guide.bodyHtml).toContain('<img');
  expect(guide.bodyHtml).toContain('<table');
  expect(guide.bodyHtml).toContain('<code');
  expect(guide.commentsCount).toBe(2);
  // Three upvotes through the vote batch, with the test run's base stake: real rshares.
  expect(guide.upvotes).toBe(3);
  expect(BigInt(guide.netRshares)).toBeGreaterThan(0n);

  // A demo reader logs in with the documented password; their feed and mana show what they did.
  const login = await api.http().post('/api/users/login').send({ user: { email: 'reader.priya@demo.inkwell.test', password: DEMO_PASSWORD } }).expect(200);
  const token = login.body.user.token as string;
  expect((await api.http().get('/api/articles/feed').set(auth(token)).expect(200)).body.articles.map((a: { title: string }) => a.title)).toEqual([
    'A field guide to writing on Inkwell',
  ]);
  const mana = (await api.http().get('/api/user/mana').set(auth(token)).expect(200)).body;
  expect(BigInt(mana.votingMana.current)).toBeLessThan(BigInt(mana.votingMana.max)); // three votes spent some

  // Search finds the demo content.
  expect((await api.http().get('/api/articles?q=sourdough').expect(200)).body.articles[0].title).toBe('Sourdough bread at home');
}, 120_000);

it('leaves a database that is not empty alone', async () => {
  const again = await seed();
  expect(again.seeded).toBe(false);
  expect(again).toMatchObject({ reason: expect.stringContaining('not empty') });
  expect((await api.http().get('/api/articles').expect(200)).body.articlesCount).toBe(DEMO_ARTICLES.length);
});

describe('npm run seed', () => {
  const ROOT = path.resolve(__dirname, '../..');
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'workers/seed.ts'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH ?? '', ...env } });

  it('refuses production and explains what to do without MONGODB_URI', () => {
    const production = run({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) });
    expect(production.stderr).toContain('never loaded with NODE_ENV=production');
    expect(production.status).toBe(1);
    const noDatabase = run({ NODE_ENV: 'development' });
    expect(noDatabase.stderr).toContain('npm start -- --seed');
    expect(noDatabase.status).toBe(2);
  }, 120_000);
});
