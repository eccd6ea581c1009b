import { cryptoUtils, PrivateKey } from 'dsteem';
import { createChainClient } from '../../chain';
import { startDevnet, type Devnet } from '../../devinfra/steem-devnet';
import { refreshStakes } from '../../commands/steem/accountLinks';
import { UserModel } from '../../models/user';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

let api: TestApi;
let devnet: Devnet;
beforeAll(async () => {
  devnet = await startDevnet({ port: 0, blockIntervalMs: null });
  api = await startTestApi();
  api.services.chain = createChainClient({ nodes: [devnet.url], chainId: devnet.chainId, addressPrefix: devnet.addressPrefix, timeoutMs: 5000 });
});
afterAll(async () => {
  await api.close();
  await devnet.stop();
});

/** What dsteem's PrivateKey.sign(sha256(challenge)).toString() and Steem Keychain produce. */
const sign = (wif: string, challenge: string) => PrivateKey.fromString(wif).sign(cryptoUtils.sha256(challenge)).toString();

async function challengeFor(token: string): Promise<string> {
  const response = await api.http().post('/api/user/steem/challenge').set(auth(token)).expect(200);
  return response.body.challenge as string;
}

describe('linking a Steem account', () => {
  it('links with a posting-key signature, shows the account on the profile and reads the stake', async () => {
    const { token, username } = await registerUser(api);
    const created = devnet.createAccount({ name: 'linker-one', balance: '10.000 STEEM' });
    const challenge = await challengeFor(token);
    const linked = await api.http().post('/api/user/steem/link').set(auth(token)).send({ account: 'linker-one', challenge, signature: sign(created.keys.posting!, challenge) }).expect(200);
    expect(linked.body.steemAccount).toBe('linker-one');
    expect(BigInt(linked.body.stakeVests)).toBeGreaterThanOrEqual(0n);
    const profile = await api.http().get(`/api/profiles/${username}`).expect(200);
    expect(profile.body.profile.steemAccount).toBe('linker-one');
    await api.http().delete('/api/user/steem').set(auth(token)).expect(204);
    expect((await api.http().get(`/api/profiles/${username}`)).body.profile.steemAccount).toBeNull();
  });

  it('needs enough weight for a multi-key authority (threshold 2)', async () => {
    const { token } = await registerUser(api);
    const keys = [PrivateKey.fromSeed('multi-1'), PrivateKey.fromSeed('multi-2'), PrivateKey.fromSeed('multi-3')];
    devnet.createAccount({
      name: 'multi-sig',
      keys: { posting: { weight_threshold: 2, account_auths: [], key_auths: keys.map((k) => [k.createPublic(devnet.addressPrefix).toString(), 1] as [string, number]) } },
    });
    const challenge = await challengeFor(token);
    const one = await api.http().post('/api/user/steem/link').set(auth(token)).send({ account: 'multi-sig', challenge, signatures: [sign(keys[0]!.toString(), challenge)] });
    expect(one.status).toBe(422);
    expect(one.body.fields.signature[0]).toMatch(/weight 1 of the 2/);
    const twice = await api.http().post('/api/user/steem/link').set(auth(token)).send({ account: 'multi-sig', challenge, signatures: [sign(keys[0]!.toString(), challenge), sign(keys[0]!.toString(), challenge)] });
    expect(twice.status).toBe(422);
    const two = await api.http().post('/api/user/steem/link').set(auth(token)).send({ account: 'multi-sig', challenge, signatures: [sign(keys[0]!.toString(), challenge), sign(keys[2]!.toString(), challenge)] });
    expect(two.status).toBe(200);
  });

  it('refuses a wrong key, a reused challenge, an expired challenge and another user’s challenge', async () => {
    const { token } = await registerUser(api);
    const other = await registerUser(api);
    const created = devnet.createAccount({ name: 'linker-two' });
    const challenge = await challengeFor(token);
    const wrong = await api.http().post('/api/user/steem/link').set(auth(token)).send({ account: 'linker-two', challenge, signature: sign(PrivateKey.fromSeed('not-theirs').toString(), challenge) });
    expect(wrong.status).toBe(422);
    expect(wrong.body.fields.signature).toBeDefined();
    const garbage = await api.http().post('/api/user/steem/link').set(auth(token)).send({ account: 'linker-two', challenge, signature: 'zz' });
    expect(garbage.status).toBe(422);
    await api.http().post('/api/user/steem/link').set(auth(other.token)).send({ account: 'linker-two', challenge, signature: sign(created.keys.posting!, challenge) }).expect(422);

    await api.http().post('/api/user/steem/link').set(auth(token)).send({ account: 'linker-two', challenge, signature: sign(created.keys.posting!, challenge) }).expect(200);
    const reused = await api.http().post('/api/user/steem/link').set(auth(token)).send({ account: 'linker-two', challenge, signature: sign(created.keys.posting!, challenge) });
    expect(reused.status).toBe(422);
    expect(reused.body.fields.challenge[0]).toMatch(/used already/);

    const late = await challengeFor(token);
    api.clock.advance(5 * 60 * 1000);
    const expired = await api.http().post('/api/user/steem/link').set(auth(token)).send({ account: 'linker-two', challenge: late, signature: sign(created.keys.posting!, late) });
    expect(expired.status).toBe(422);
    expect(expired.body.fields.challenge[0]).toMatch(/expired/);
    await api.http().post('/api/user/steem/link').set(auth(token)).send({ account: 'no-such-acct', challenge: late }).expect(422);
  });

  it('refreshes linked stakes from the chain', async () => {
    const { token, username } = await registerUser(api);
    const created = devnet.createAccount({ name: 'staker' });
    const challenge = await challengeFor(token);
    await api.http().post('/api/user/steem/link').set(auth(token)).send({ account: 'staker', challenge, signature: sign(created.keys.posting!, challenge) }).expect(200);
    await UserModel.updateOne({ usernameKey: username.toLowerCase() }, { $set: { stakeVests: '1', stakeRefreshedAt: new Date(0) } });
    const refreshed = await refreshStakes(api.services.chain!, new Date(api.clock.now().getTime() - 3600_000), api.clock.now());
    expect(refreshed).toBeGreaterThanOrEqual(1);
    const user = await UserModel.findOne({ usernameKey: username.toLowerCase() }).lean();
    expect(user!.stakeVests).not.toBe('1');
  });
});
