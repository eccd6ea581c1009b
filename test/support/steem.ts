import { cryptoUtils, PrivateKey } from 'dsteem';
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
