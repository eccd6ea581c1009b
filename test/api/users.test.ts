import jwt from 'jsonwebtoken';
import { UserModel } from '../../models/user';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe('users and auth', () => {
  it('registers, logs in and reads the current user', async () => {
    const registered = await api
      .http()
      .post('/api/users')
      .send({ user: { username: 'celeb_u123', email: ' Celeb@Example.COM ', password: 'a long enough passphrase' } })
      .expect(201);
    expect(registered.body.user).toMatchObject({ username: 'celeb_u123', email: 'celeb@example.com', bio: '', image: '' });
    expect(typeof registered.body.user.token).toBe('string');

    const login = await api.http().post('/api/users/login').send({ user: { email: 'CELEB@example.com', password: 'a long enough passphrase' } }).expect(200);
    const me = await api.http().get('/api/user').set(auth(login.body.user.token)).expect(200);
    expect(me.body.user).toMatchObject({ username: 'celeb_u123', email: 'celeb@example.com', token: login.body.user.token });
    const bearer = await api.http().get('/api/user').set('Authorization', `Bearer ${login.body.user.token}`).expect(200);
    expect(bearer.body.user.username).toBe('celeb_u123');
  });

  it('stores a memory-hard hash, never the password', async () => {
    const { username } = await registerUser(api);
    const stored = await UserModel.findOne({ usernameKey: username.toLowerCase() }).select('+passwordHash').lean();
    expect(stored!.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(stored!.passwordHash).not.toContain('correct horse');
  });

  it('refuses duplicate usernames (without regard to case) and emails with 422 naming the field', async () => {
    const first = await registerUser(api, 'DupName');
    const byName = await api.http().post('/api/users').send({ user: { username: 'dupname', email: 'other@example.com', password: 'a long enough passphrase' } });
    expect(byName.status).toBe(422);
    expect(byName.body).toEqual({ errors: { body: ['username has already been taken'] }, fields: { username: ['has already been taken'] } });
    const byEmail = await api.http().post('/api/users').send({ user: { username: 'fresh', email: first.email.toUpperCase(), password: 'a long enough passphrase' } });
    expect(byEmail.status).toBe(422);
    expect(byEmail.body).toEqual({ errors: { body: ['email has already been taken'] }, fields: { email: ['has already been taken'] } });
  });

  it('names every taken field at once: a sign-up whose username and email are both taken hears about both, each once', async () => {
    const first = await registerUser(api, 'BothTaken');
    const both = await api.http().post('/api/users').send({ user: { username: 'bothtaken', email: first.email, password: 'a long enough passphrase' } });
    expect(both.status).toBe(422);
    expect(both.body).toEqual({
      errors: { body: ['username has already been taken', 'email has already been taken'] },
      fields: { username: ['has already been taken'], email: ['has already been taken'] },
    });
    // What a RealWorld client shows (`key + " " + message` for every key of `errors`): each problem once.
    const shown = Object.entries(both.body.errors as Record<string, string[]>).flatMap(([key, messages]) => messages.map((m) => `${key} ${m}`));
    expect(shown).toEqual(['body username has already been taken', 'body email has already been taken']);

    const other = await registerUser(api);
    const clash = await api.http().put('/api/user').set(auth(other.token)).send({ user: { username: 'BOTHTAKEN', email: first.email, bio: 'changed' } });
    expect(clash.status).toBe(422);
    expect(clash.body.errors.body).toEqual(['username has already been taken', 'email has already been taken']);
    // Its own current name and email are not "taken" by itself.
    const own = await api.http().put('/api/user').set(auth(other.token)).send({ user: { username: other.username, email: first.email } });
    expect(own.body.fields).toEqual({ email: ['has already been taken'] });
  });

  it('reports every schema failure at once, each as one sentence', async () => {
    const response = await api.http().post('/api/users').send({ user: { username: 'a b', email: 'not-an-email', password: 'a long enough passphrase' } });
    expect(response.status).toBe(422);
    expect(Object.keys(response.body.errors)).toEqual(['body']);
    expect(Object.keys(response.body.fields).sort()).toEqual(['email', 'username']);
    expect(response.body.errors.body).toHaveLength(2);
    expect(response.body.errors.body[0]).toMatch(/^username /);
    expect(response.body.errors.body[1]).toMatch(/^email /);
  });

  it('lets exactly one of many concurrent registrations of one name win', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api.http().post('/api/users').send({ user: { username: 'racer', email: `racer${i}@example.com`, password: 'a long enough passphrase' } }),
      ),
    );
    expect(attempts.filter((r) => r.status === 201)).toHaveLength(1);
    expect(attempts.filter((r) => r.status === 422)).toHaveLength(7);
    expect(await UserModel.countDocuments({ usernameKey: 'racer' })).toBe(1);
  });

  it.each([
    [{}, 'user'],
    [{ user: {} }, 'username'],
    [{ user: { username: 'a b', email: 'x@example.com', password: 'a long enough passphrase' } }, 'username'],
    [{ user: { username: 'x'.repeat(33), email: 'x@example.com', password: 'a long enough passphrase' } }, 'username'],
    [{ user: { username: 'okname', email: 'not-an-email', password: 'a long enough passphrase' } }, 'email'],
    [{ user: { username: 'okname', email: 'x@example.com', password: 'short' } }, 'password'],
    [{ user: { username: 42, email: 'x@example.com', password: 'a long enough passphrase' } }, 'username'],
  ])('rejects bad registration %j with 422 on %s', async (body, field) => {
    const before = await UserModel.countDocuments();
    const response = await api.http().post('/api/users').send(body);
    expect(response.status).toBe(422);
    expect(Object.keys(response.body.fields)).toContain(field);
    expect(await UserModel.countDocuments()).toBe(before);
  });

  it('answers a wrong password and an unknown email alike with 401', async () => {
    const { email } = await registerUser(api);
    const wrong = await api.http().post('/api/users/login').send({ user: { email, password: 'wrong password' } });
    const unknown = await api.http().post('/api/users/login').send({ user: { email: 'nobody@example.com', password: 'wrong password' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('rejects missing, malformed, forged and expired tokens with 401', async () => {
    const { token } = await registerUser(api);
    const userId = (jwt.decode(token) as { sub: string }).sub;
    const expired = jwt.sign({}, 'test-secret-that-is-long-enough-for-hs256-keys', { subject: userId, expiresIn: -10 });
    const forged = jwt.sign({}, 'some-other-secret-that-is-long-enough', { subject: userId, expiresIn: 60 });
    const unsigned = jwt.sign({ sub: userId }, '', { algorithm: 'none' });
    for (const header of [undefined, 'Token', 'Token not.a.jwt', `Token ${expired}`, `Token ${forged}`, `Token ${unsigned}`, `Basic ${token}`]) {
      const call = api.http().get('/api/user');
      const response = await (header ? call.set('Authorization', header) : call);
      expect(response.status).toBe(401);
      expect(response.body.errors).toBeDefined();
    }
  });

  it('updates fields and keeps uniqueness; a clash changes nothing', async () => {
    const a = await registerUser(api);
    const b = await registerUser(api);
    const updated = await api
      .http()
      .put('/api/user')
      .set(auth(a.token))
      .send({ user: { bio: 'I write about dragons', image: 'https://img.example.com/a.png', username: 'renamed_a' } })
      .expect(200);
    expect(updated.body.user).toMatchObject({ bio: 'I write about dragons', image: 'https://img.example.com/a.png', username: 'renamed_a' });

    const clash = await api.http().put('/api/user').set(auth(a.token)).send({ user: { email: b.email, bio: 'changed' } });
    expect(clash.status).toBe(422);
    expect(clash.body).toEqual({ errors: { body: ['email has already been taken'] }, fields: { email: ['has already been taken'] } });
    const me = await api.http().get('/api/user').set(auth(a.token)).expect(200);
    expect(me.body.user.bio).toBe('I write about dragons');

    // A password change ends the sessions of earlier tokens; the answer carries a token that works.
    const changed = await api.http().put('/api/user').set(auth(a.token)).send({ user: { password: 'a new password' } }).expect(200);
    await api.http().post('/api/users/login').send({ user: { email: a.email, password: 'a new password' } }).expect(200);
    await api.http().put('/api/user').set(auth(a.token)).send({ user: { bio: 'old token' } }).expect(401);
    const fresh = changed.body.user.token as string;
    await api.http().put('/api/user').set(auth(fresh)).send({ user: {} }).expect(422);
    await api.http().put('/api/user').set(auth(fresh)).send({ user: { image: 'javascript:alert(1)' } }).expect(422);
  });
});
