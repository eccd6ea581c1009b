import { PrivateKey, verifyAuthoritySignatures } from '../../chain';
import { cryptoUtils } from '../../chain/keys';

const challenge = 'inkwell link alice 2024-01-01T00:00:00Z nonce 4f2a';
const sign = (key: PrivateKey, text = challenge) => key.sign(cryptoUtils.sha256(text)).toString();
const alice = PrivateKey.fromLogin('alice', 'password', 'active');
const bob = PrivateKey.fromLogin('bob', 'password', 'active');
const carol = PrivateKey.fromLogin('carol', 'password', 'active');
const pub = (key: PrivateKey) => key.createPublic('STM').toString();

describe('verifyAuthoritySignatures', () => {
  const single = { weight_threshold: 1, account_auths: [], key_auths: [[pub(alice), 1]] as [string, number][] };
  const multi = {
    weight_threshold: 2,
    account_auths: [],
    key_auths: [
      [pub(alice), 1],
      [pub(bob), 1],
      [pub(carol), 1],
    ] as [string, number][],
  };

  it('accepts a single-key authority signed by its key', () => {
    const result = verifyAuthoritySignatures({ authority: single, challenge, signatures: [sign(alice)] });
    expect(result).toMatchObject({ ok: true, weight: 1, threshold: 1, signers: [pub(alice)], unknownSigners: [] });
  });

  it('multi-key threshold 2: one signature is not enough, two are', () => {
    expect(verifyAuthoritySignatures({ authority: multi, challenge, signatures: [sign(alice)] })).toMatchObject({ ok: false, weight: 1 });
    expect(verifyAuthoritySignatures({ authority: multi, challenge, signatures: [sign(alice), sign(carol)] })).toMatchObject({ ok: true, weight: 2 });
  });

  it('a signature by another key, or over another challenge, adds no weight', () => {
    const wrongKey = verifyAuthoritySignatures({ authority: single, challenge, signatures: [sign(bob)] });
    expect(wrongKey).toMatchObject({ ok: false, weight: 0, unknownSigners: [pub(bob)] });
    const wrongText = verifyAuthoritySignatures({ authority: single, challenge, signatures: [sign(alice, 'another challenge')] });
    expect(wrongText).toMatchObject({ ok: false, weight: 0 });
  });

  it('rejects the same signer twice', () => {
    const result = verifyAuthoritySignatures({ authority: multi, challenge, signatures: [sign(alice), sign(alice)] });
    expect(result).toMatchObject({ ok: false, rejected: { index: 1, reason: 'duplicate_signer' } });
  });

  it('rejects garbage hex and unrecoverable signatures', () => {
    expect(verifyAuthoritySignatures({ authority: single, challenge, signatures: ['zz'] })).toMatchObject({ ok: false, rejected: { reason: 'malformed' } });
    expect(verifyAuthoritySignatures({ authority: single, challenge, signatures: [sign(alice).slice(2)] })).toMatchObject({ rejected: { reason: 'malformed' } });
    const badHeader = '00' + sign(alice).slice(2);
    expect(verifyAuthoritySignatures({ authority: single, challenge, signatures: [badHeader] })).toMatchObject({ rejected: { reason: 'unrecoverable' } });
  });

  it('rejects a high-S (non-canonical) signature', () => {
    const bytes = Buffer.from(sign(alice), 'hex');
    // s' = n − s is the same ECDSA signature in its high-S form, which steemd refuses since HF20.
    const n = BigInt('0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');
    const s = BigInt('0x' + bytes.subarray(33).toString('hex'));
    Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex').copy(bytes, 33);
    bytes[0] = bytes[0] === 31 ? 32 : 31;
    const result = verifyAuthoritySignatures({ authority: single, challenge, signatures: [bytes.toString('hex')] });
    expect(result).toMatchObject({ ok: false, rejected: { reason: 'non_canonical' } });
  });

  it('compares keys by bytes, whatever the prefix', () => {
    const testnetSpelling = { ...single, key_auths: [[alice.createPublic('STX').toString(), 1]] as [string, number][] };
    expect(verifyAuthoritySignatures({ authority: testnetSpelling, challenge, signatures: [sign(alice)] }).ok).toBe(true);
  });
});
