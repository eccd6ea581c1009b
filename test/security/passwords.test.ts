import { Writable } from 'node:stream';
import { UserModel } from '../../models/user';
import { hashPassword } from '../../lib/auth/passwords';
import { createLogger } from '../../lib/logger';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

let seq = 0;
const register = (password: unknown) => {
  seq += 1;
  return api.http().post('/api/users').send({ user: { username: `pw_user${seq}`, email: `pw_user${seq}@example.com`, password } });
};

describe('password rules', () => {
  it.each([
    ['eleven char', 'must be at least 12 characters'],
    ['', 'must be at least 12 characters'],
    ['password', 'must be at least 12 characters'],
    ['x'.repeat(1025), 'must be at most 1024 characters'],
    ['qwerty123456', 'is too common'],
    ['QWERTY123456', 'is too common'],
    ['1q2w3e4r5t6y', 'is too common'],
    ['LeaveMeAlone', 'is too common'],
  ])('refuses %j at registration with 422: %s', async (password, message) => {
    const before = await UserModel.countDocuments();
    const response = await register(password);
    expect(response.status).toBe(422);
    expect(response.body.fields.password).toEqual([message]);
    expect(response.body.errors.body).toContain(`password ${message}`);
    expect(await UserModel.countDocuments()).toBe(before);
  });

  it('accepts 12 and 1024 characters that are not common', async () => {
    await register('twelve chars').expect(201);
    await register('y'.repeat(1024)).expect(201);
  });

  it('applies the same rules to a password change, which changes nothing when refused', async () => {
    const { token, email } = await registerUser(api);
    for (const [password, message] of [['short pass', 'must be at least 12 characters'], ['Qazwsxedcrfv', 'is too common'], ['z'.repeat(1025), 'must be at most 1024 characters']]) {
      const response = await api.http().put('/api/user').set(auth(token)).send({ user: { password } });
      expect(response.status).toBe(422);
      expect(response.body.fields.password).toEqual([message]);
    }
    await api.http().post('/api/users/login').send({ user: { email, password: 'correct horse battery' } }).expect(200);
  });

  it('still lets an account made under the old rules log in with its short password; logins take up to 1024 characters', async () => {
    await UserModel.create({ username: 'oldtimer', usernameKey: 'oldtimer', email: 'oldtimer@example.com', passwordHash: await hashPassword('hunter2') });
    await api.http().post('/api/users/login').send({ user: { email: 'oldtimer@example.com', password: 'hunter2' } }).expect(200);
    const long = await api.http().post('/api/users/login').send({ user: { email: 'oldtimer@example.com', password: 'h'.repeat(1024) } });
    expect(long.status).toBe(401);
    const tooLong = await api.http().post('/api/users/login').send({ user: { email: 'oldtimer@example.com', password: 'h'.repeat(1025) } });
    expect(tooLong.status).toBe(422);
  });
});

describe('password hashes stay on the server', () => {
  it('appear in no answer, and are not loaded with a user unless asked for', async () => {
    const { token, email, username } = await registerUser(api);
    const answers = [
      await api.http().post('/api/users/login').send({ user: { email, password: 'correct horse battery' } }),
      await api.http().get('/api/user').set(auth(token)),
      await api.http().put('/api/user').set(auth(token)).send({ user: { bio: 'hello' } }),
      await api.http().get(`/api/profiles/${username}`),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(JSON.stringify(answer.body)).not.toMatch(/scrypt|passwordHash/);
    }
    const loaded = await UserModel.findOne({ email }).lean();
    expect(loaded).not.toHaveProperty('passwordHash');
    expect(JSON.stringify(await UserModel.findOne({ email }))).not.toContain('scrypt');
  });

  it('are redacted should a user document ever be logged', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }));
    const passwordHash = await hashPassword('correct horse battery');
    logger.info({ passwordHash }, 'top level');
    logger.info({ user: { username: 'x', passwordHash } }, 'nested');
    logger.info({ result: { user: { passwordHash } } }, 'deeper');
    expect(lines).toHaveLength(3);
    expect(lines.join('')).not.toContain(passwordHash.split('$')[5]!);
  });
});
