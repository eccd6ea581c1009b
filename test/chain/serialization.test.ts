import { AssetParseError, formatAsset, parseAsset, PrivateKey, PublicKey, serializeTransaction, transactionDigest, transactionId, type Transaction } from '../../chain';
import { SerializerTypes as Types, serializeWith } from '../../chain/serialization';
import { cryptoUtils, recoverPublicKey, Signature } from '../../chain/keys';

// dsteem's test vectors (test/serializer-tests.json, test/crypto.ts) and values derived from them.
const voteTransaction = (extensions: string[]): Transaction => ({
  ref_block_num: 1234,
  ref_block_prefix: 1122334455,
  expiration: '2017-07-15T16:51:19',
  operations: [['vote', { voter: 'foo', author: 'bar', permlink: 'baz', weight: 10000 }]],
  extensions: extensions as never[],
});

describe('serialization agrees with dsteem test vectors', () => {
  it.each([
    ['10.000 STEEM', '102700000000000003535445454d0000'],
    ['123456.789000 VESTS', '081a99be1c0000000656455354530000'],
    ['-100.333 SBD', '1378feffffffffff0353424400000000'],
  ])('asset %s', (asset, hex) => {
    expect(serializeWith(Types.Asset as never, asset).toString('hex')).toBe(hex);
  });

  it.each([
    ['2017-07-15T16:51:19', '07486a59'],
    ['2000-01-01T00:00:00', '80436d38'],
  ])('date %s', (date, hex) => {
    expect(serializeWith(Types.Date as never, date).toString('hex')).toBe(hex);
  });

  it('transfer operation', () => {
    const op = ['transfer', { from: 'foo', to: 'bar', amount: '1.000 STEEM', memo: 'wedding present' }];
    expect(serializeWith(Types.Operation as never, op).toString('hex')).toBe(
      '0203666f6f03626172e80300000000000003535445454d00000f77656464696e672070726573656e74',
    );
  });

  it('public key', () => {
    const key = PublicKey.fromString('STM5832HKCJzs6K3rRCsZ1PidTKgjF38ZJb718Y3pCW92HEMsCGPf');
    expect(key.key.toString('hex')).toBe('021ec205b7c084b96814310c8acb4a0048e82b236f1878acc273fd1cfd03dac7e1');
  });

  it('transaction bytes, id and signature digest (with the "long-pants" extension)', () => {
    const tx = voteTransaction(['long-pants']);
    expect(serializeTransaction(tx).toString('hex')).toBe('d204f776e54207486a59010003666f6f036261720362617a1027010a6c6f6e672d70616e7473');
    expect(transactionId(tx)).toBe('70a8b9bd8e4a1413eb807f030fa8e81f9c7bb615');
    expect(transactionDigest(tx, Buffer.alloc(32)).toString('hex')).toBe('77342bdde45a4901a0a65a98e0806a292ccfeb8b9b048d1ca93af69434c866de');
  });

  it('transaction bytes, id and signature digest (steemd-valid, no extensions)', () => {
    const tx = voteTransaction([]);
    expect(serializeTransaction(tx).toString('hex')).toBe('d204f776e54207486a59010003666f6f036261720362617a102700');
    expect(transactionId(tx)).toBe('2072295d67761f9d4cf80d8cce52b0f35b382d1e');
    expect(transactionDigest(tx, Buffer.alloc(32)).toString('hex')).toBe('22fab53c4f05d61b92eb8cee6a54f43ad4c4e63a58fa6021f390fe9db859b7fd');
  });

  it('the signature over the vector recovers fromSeed("hello")', () => {
    const tx = voteTransaction(['long-pants']);
    const signed = cryptoUtils.signTransaction(tx, PrivateKey.fromSeed('hello'), Buffer.alloc(32));
    const digest = transactionDigest(tx, Buffer.alloc(32));
    const recovered = recoverPublicKey(Buffer.from(signed.signatures[0], 'hex'), digest, 'STM');
    expect(recovered.toString()).toBe('STM7s4VJuYFfHq8HCPpgC649Lu7CjA1V9oXgPfv8f3fszKMk3Kny9');
  });

  it('key encodings', () => {
    expect(PrivateKey.fromString('5K2yDAd9KAZ3ZitBsAPyRka9PLFemUrbcL6UziZiPaw2c6jCeLH').createPublic('STM').toString()).toBe(
      'STM8QykigLRi9ZUcNy1iXGY3KjRuCiLM8Ga49LHti1F8hgawKFc3K',
    );
    expect(PrivateKey.fromString('5JQy7moK9SvNNDxn8rKNfQYFME5VDYC2j9Mv2tb7uXV5jz3fQR8').createPublic('STX').toString()).toBe(
      'STX8FiV6v7yqYWTZz8WuFDckWr62L9X34hCy6koe8vd2cDJHimtgM',
    );
    expect(PrivateKey.fromLogin('foo', 'barman').createPublic('STM').toString()).toBe('STM87F7tN56tAUL2C6J9Gzi9HzgNpZdi6M2cLQo7TjDU5v178QsYA');
  });

  it('signatures: 65-byte compact hex that survives a round trip and recovers the signer only for the signed digest', () => {
    const key = PrivateKey.fromSeed('hello');
    const digest = transactionDigest(voteTransaction([]), Buffer.alloc(32));
    const signature = key.sign(digest);
    const hex = signature.toString();
    expect(hex).toMatch(/^[0-9a-f]{130}$/);
    // The first byte is the recovery header: 27 + 4 (compressed) + recovery id.
    expect(parseInt(hex.slice(0, 2), 16)).toBe(31 + signature.recovery);
    const parsed = Signature.fromString(hex);
    expect(parsed.toString()).toBe(hex);
    expect(parsed.recover(digest, 'STM').toString()).toBe(key.createPublic('STM').toString());
    const otherDigest = transactionDigest(voteTransaction(['long-pants']), Buffer.alloc(32));
    expect(parsed.recover(otherDigest, 'STM').toString()).not.toBe(key.createPublic('STM').toString());
  });
});

describe('assets are integers in the smallest unit', () => {
  it('parses and formats without floats', () => {
    expect(parseAsset('0.001 STEEM')).toEqual({ amount: 1n, symbol: 'STEEM' });
    expect(parseAsset('0.000001 VESTS')).toEqual({ amount: 1n, symbol: 'VESTS' });
    expect(parseAsset('-100.333 SBD')).toEqual({ amount: -100333n, symbol: 'SBD' });
    expect(parseAsset('92233720368547.758 STEEM').amount).toBe(92233720368547758n);
    expect(formatAsset(1n, 'STEEM')).toBe('0.001 STEEM');
    expect(formatAsset(-5n, 'VESTS')).toBe('-0.000005 VESTS');
    expect(formatAsset(123456789000n, 'VESTS')).toBe('123456.789000 VESTS');
  });

  it('rejects a precision that does not match the symbol', () => {
    expect(() => parseAsset('1.0 STEEM')).toThrow(/exactly 3 fractional digits/);
    expect(() => parseAsset('1.000 VESTS')).toThrow(/exactly 6 fractional digits/);
    expect(() => parseAsset('1 STEEM')).toThrow(AssetParseError);
    expect(() => parseAsset('1.000 HIVE')).toThrow(AssetParseError);
  });
});
