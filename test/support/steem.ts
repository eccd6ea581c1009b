import { Client, cryptoUtils, PrivateKey } from 'dsteem';
import type { Devnet } from '../../devinfra/steem-devnet';
import { auth, type TestApi } from './api';

/** Creates a devnet account and links it to the user through the API (posting-key signature). */
export async function linkNewSteemAccount(api: TestApi, devnet: Devnet, token: string, name: string): Promise<void> {
  const created = devnet.createAccount({ name });
  const { body } = await api.http().post('/api/user/steem/challenge').set(auth(token)).expect(200);
  const challenge = body.challenge as string;
  const signature = PrivateKey.fromString(created.keys.posting!).sign(cryptoUtils.sha256(challenge)).toString();
  await api.http().post('/api/user/steem/link').set(auth(token)).send({ account: name, challenge, signature }).expect(200);
}

/**
 * Creates a devnet account holding `steem` and powers it all up, so it has stake to vote with
 * (1 STEEM is 1,760 VESTS at the devnet's vesting share price). Returns the generated keys.
 */
export async function createStakedAccount(devnet: Devnet, name: string, steem: string): Promise<{ name: string; posting: string }> {
  const created = devnet.createAccount({ name, balance: steem });
  const client = new Client(devnet.url, { chainId: devnet.chainId, addressPrefix: devnet.addressPrefix, timeout: 5000 });
  await client.broadcast.sendOperations([['transfer_to_vesting', { from: name, to: name, amount: steem }]], PrivateKey.from(created.keys.active!));
  return { name, posting: created.keys.posting! };
}

/** Asks for a challenge and links the account with its posting key; returns the answer, whatever it is. */
export async function linkWithPostingKey(api: TestApi, token: string, account: { name: string; posting: string }) {
  const { body } = await api.http().post('/api/user/steem/challenge').set(auth(token)).expect(200);
  const challenge = body.challenge as string;
  const signature = PrivateKey.fromString(account.posting).sign(cryptoUtils.sha256(challenge)).toString();
  return api.http().post('/api/user/steem/link').set(auth(token)).send({ account: account.name, challenge, signature });
}
