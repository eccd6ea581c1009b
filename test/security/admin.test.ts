import { spawnSync } from 'node:child_process';
import path from 'node:path';
import mongoose from 'mongoose';
import { grantRole, revokeRole, usersWithRole } from '../../commands/users/roles';
import { UserModel } from '../../models/user';
import { hashPassword } from '../../lib/auth/passwords';
import { testMongoUri } from '../support/database';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const status = (token: string) => api.http().get('/api/admin/payouts/status').set(auth(token));
const login = (email: string, password: string) => api.http().post('/api/users/login').send({ user: { email, password } }).expect(200).then((r) => r.body.user.token as string);

describe('reserved usernames', () => {
  it.each(['admin', 'Admin', 'ADMINISTRATOR', 'ad_min', 'admin-2', 'root', 'system', 'inkwell', 'Inkwell_Team', 'support', 'moderator', 'mod', 'staff', 'api', 'www', 'null', 'undefined', 'anonymous', 'treasury', 'security', 'help', 'official'])(
    'refuses renaming to %j with 422, and registering it',
    async (name) => {
      const { token, username } = await registerUser(api);
      const renamed = await api.http().put('/api/user').set(auth(token)).send({ user: { username: name } });
      expect(renamed.status).toBe(422);
      expect(renamed.body.fields.username).toEqual(['is reserved']);
      expect((await api.http().get('/api/user').set(auth(token)).expect(200)).body.user.username).toBe(username);
      const registered = await api.http().post('/api/users').send({ user: { username: name, email: `${name.toLowerCase()}@example.com`, password: 'correct horse battery' } });
      expect(registered.status).toBe(422);
      expect(registered.body.fields.username).toEqual(['is reserved']);
    },
  );

  it('leaves ordinary names that merely contain a reserved word alone', async () => {
    for (const name of ['payadmin', 'modest', 'rooted', 'helpful_hana']) await registerUser(api, name);
  });
});

describe('admin by role', () => {
  it('is not given by a name: an account named admin (from before the reserved names) without the role gets 403', async () => {
    await UserModel.create({ username: 'admin', usernameKey: 'admin', email: 'legacy-admin@example.com', passwordHash: await hashPassword('legacy admin passphrase') });
    const token = await login('legacy-admin@example.com', 'legacy admin passphrase');
    const refused = await status(token);
    expect(refused.status).toBe(403);
    expect(refused.body.fields.user).toEqual(['only accounts with the admin role may do this']);
    const someone = await registerUser(api);
    await status(someone.token).expect(403);
    await api.http().get('/api/admin/payouts/status').expect(401);
  });

  it('is granted and taken away by the operator command, effective at once', async () => {
    const operator = await registerUser(api, 'ops_person');
    await status(operator.token).expect(403);
    expect(await grantRole('OPS_PERSON', 'admin')).toEqual({ username: 'ops_person', changed: true });
    expect(await grantRole('ops_person', 'admin')).toEqual({ username: 'ops_person', changed: false });
    expect((await status(operator.token).expect(200)).body.status).toBeDefined();
    expect((await usersWithRole('admin')).map((u) => u.username)).toContain('ops_person');
    expect(await revokeRole('ops_person', 'admin')).toEqual({ username: 'ops_person', changed: true });
    await status(operator.token).expect(403);
    await expect(grantRole('nobody_by_this_name', 'admin')).rejects.toThrow(/no account is named/);
  });

  it('cannot be given to oneself through the API', async () => {
    const { token } = await registerUser(api);
    const attempt = await api.http().put('/api/user').set(auth(token)).send({ user: { roles: ['admin'], bio: 'x' } });
    expect(attempt.status).toBe(200);
    await status(token).expect(403);
  });

  it('`npm run admin` grants, lists, revokes and recounts against MONGODB_URI', async () => {
    const { token, username } = await registerUser(api, 'cli_admin');
    const uri = new URL(testMongoUri());
    uri.pathname = `/${mongoose.connection.name}`;
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'workers/admin.ts', ...args], {
        cwd: path.resolve(__dirname, '../..'),
        env: { PATH: process.env.PATH, MONGODB_URI: uri.toString(), LOG_LEVEL: 'silent' },
        encoding: 'utf8',
        timeout: 90_000,
      });
    const granted = run('grant', username);
    expect(granted.stderr).toBe('');
    expect(granted.stdout).toBe(`granted the admin role to ${username}\n`);
    expect(granted.status).toBe(0);
    await status(token).expect(200);
    const listed = run('list');
    expect(listed.stdout).toContain(`${username}\tcli_admin@example.com\n`);
    expect(run('revoke', username).stdout).toBe(`took the admin role from ${username}\n`);
    await status(token).expect(403);
    const unknown = run('grant', 'no_such_user');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toBe('no account is named "no_such_user"\n');
    const recount = run('recount');
    expect(recount.stdout).toMatch(/^counted the articles of \d+ tag\(s\) and \d+ author\(s\)\n$/);
    expect(recount.status).toBe(0);
    expect(run().status).toBe(2);
    expect(run('promote', username).status).toBe(2);
    expect(run('recount', username).status).toBe(2);
  }, 180_000);
});
