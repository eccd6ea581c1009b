import jwt from 'jsonwebtoken';
import request from 'supertest';
import type http from 'node:http';
import { endSession } from '../../commands/users/sessions';
import { UserModel } from '../../models/user';
import { createApp } from '../../server/app';
import { createTokenService } from '../../lib/auth/tokens';
import { createLogger } from '../../lib/logger';
import { ReadCache } from '../../server/readCache';
import { allRouters } from '../../server/routers';
import type { Services } from '../../server/services';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

const SECRET = 'test-secret-that-is-long-enough-for-hs256-keys';

let api: TestApi;
/** A second API "process" on the same database: its own token service (and token cache) and read cache. */
let other: { server: http.Server; http: () => ReturnType<typeof request> };
beforeAll(async () => {
  api = await startTestApi();
  const services: Services = { ...api.services, tokens: createTokenService(SECRET, 3600), readCache: new ReadCache(api.clock) };
  const server = createApp({ logger: createLogger('silent'), routers: allRouters(services), readCache: services.readCache }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  other = { server, http: () => request(server) };
  await api.http().get('/api/rewards/fund').expect(200);
});
afterAll(async () => {
  await new Promise((resolve) => other.server.close(resolve));
  await api.close();
});

const me = (token: string, on = api.http()) => on.get('/api/user').set(auth(token));
const login = (email: string, password = 'correct horse battery') => api.http().post('/api/users/login').send({ user: { email, password } }).expect(200).then((r) => r.body.user.token as string);
const logout = (token: string) => api.http().post('/api/user/logout').set(auth(token));

async function publish(token: string, title: string): Promise<string> {
  const { body } = await api.http().post('/api/articles').set(auth(token)).send({ article: { title, description: '', body: 'text' } }).expect(201);
  return body.article.slug as string;
}
const vote = (token: string, slug: string, weight: number) => api.http().post(`/api/articles/${slug}/votes`).set(auth(token)).send({ vote: { weight } });

describe('logout', () => {
  it('ends the session of the token used, in this and every other process, and leaves the others', async () => {
    const { email } = await registerUser(api);
    const [laptop, phone] = [await login(email), await login(email)];
    // Both verified (and remembered by each process's token cache) before the logout.
    for (const on of [api.http(), other.http()]) {
      await me(laptop, on).expect(200);
      await me(phone, on).expect(200);
    }
    expect(await logout(laptop).then((r) => r.status)).toBe(204);
    for (const on of [api.http(), other.http()]) {
      const refused = await me(laptop, on);
      expect(refused.status).toBe(401);
      expect(refused.body.fields.token).toEqual(['session has ended (logged out or password changed): log in again']);
      await me(phone, on).expect(200);
    }
    // Logging out again with the ended token: its session is gone, 401 like any other use of it.
    expect((await logout(laptop)).status).toBe(401);
    await me(phone).expect(200);
    await logout(phone).expect(204);
    await me(phone).expect(401);
    // A new login works.
    await me(await login(email)).expect(200);
  });

  it('is refused on the vote route (which reads no user before its batch)', async () => {
    const author = await registerUser(api);
    const voter = await registerUser(api);
    const slug = await publish(author.token, 'Vote after logout');
    api.clock.advance(10_000);
    const session = await login(voter.email);
    await logout(session).expect(204);
    const refused = await vote(session, slug, 10000);
    expect(refused.status).toBe(401);
    expect(refused.body.fields.token).toBeDefined();
    await vote(voter.token, slug, 10000).expect(200);
  });

  it('keeps a bounded list: past 100 revoked tokens a logout ends every session, and expired entries are dropped', async () => {
    const { email } = await registerUser(api);
    const user = (await UserModel.findOne({ email }, { _id: 1 }).lean())!;
    const survivor = await login(email);
    const start = api.services.tokens.nowSeconds();
    for (let i = 0; i < 100; i++) {
      const session = api.services.tokens.verifySession(api.services.tokens.issue(user._id.toString(), 0))!;
      await endSession(user._id, session, start);
    }
    expect((await UserModel.findById(user._id, { revokedSessions: 1 }).lean())!.revokedSessions).toHaveLength(100);
    await me(survivor).expect(200);
    // Once those tokens have expired, their entries go with the next logout.
    const later = start + 2 * 3600;
    const short = { ...api.services.tokens.verifySession(api.services.tokens.issue(user._id.toString(), 0))!, expiresAt: later + 60 };
    await endSession(user._id, short, later);
    expect((await UserModel.findById(user._id, { revokedSessions: 1 }).lean())!.revokedSessions).toHaveLength(1);
    await me(survivor).expect(200);
    // 101 live revoked tokens: every session ends.
    for (let i = 0; i < 100; i++) await endSession(user._id, api.services.tokens.verifySession(api.services.tokens.issue(user._id.toString(), 0))!, start);
    const after = (await UserModel.findById(user._id, { revokedSessions: 1, sessionEpoch: 1 }).lean())!;
    expect(after.sessionEpoch).toBe(1);
    expect(after.revokedSessions).toEqual([]);
    await me(survivor).expect(401);
  });
});

describe('password change', () => {
  it('ends every earlier token (in every process, on every route) and answers with a fresh one that works', async () => {
    const author = await registerUser(api);
    const { email, token: first } = await registerUser(api);
    const second = await login(email);
    const slug = await publish(author.token, 'Vote after password change');
    api.clock.advance(10_000);
    await me(first, other.http()).expect(200);

    const changed = await api.http().put('/api/user').set(auth(second)).send({ user: { password: 'a brand new passphrase' } }).expect(200);
    const fresh = changed.body.user.token as string;
    expect(fresh).not.toBe(second);
    for (const old of [first, second]) {
      for (const on of [api.http(), other.http()]) await me(old, on).expect(401);
      expect((await vote(old, slug, 10000)).status).toBe(401);
      expect((await api.http().put('/api/user').set(auth(old)).send({ user: { password: 'attacker passphrase' } })).status).toBe(401);
    }
    for (const on of [api.http(), other.http()]) expect((await me(fresh, on).expect(200)).body.user.token).toBe(fresh);
    await vote(fresh, slug, 10000).expect(200);
    await api.http().post('/api/users/login').send({ user: { email, password: 'correct horse battery' } }).expect(401);
    await me(await login(email, 'a brand new passphrase')).expect(200);
  });

  it('also ends tokens issued before tokens carried a session epoch', async () => {
    const { email } = await registerUser(api);
    const user = (await UserModel.findOne({ email }, { _id: 1 }).lean())!;
    const legacy = jwt.sign({}, SECRET, { subject: user._id.toString(), expiresIn: 3600 });
    await me(legacy).expect(200);
    const fresh = (await api.http().put('/api/user').set(auth(legacy)).send({ user: { password: 'another new passphrase' } }).expect(200)).body.user.token as string;
    await me(legacy).expect(401);
    await me(fresh).expect(200);
  });

  it('other changes keep the sessions', async () => {
    const { token } = await registerUser(api);
    const renamed = await api.http().put('/api/user').set(auth(token)).send({ user: { bio: 'still here' } }).expect(200);
    await me(token).expect(200);
    await me(renamed.body.user.token).expect(200);
  });
});
