import jwt from 'jsonwebtoken';
import { createTokenService } from '../../lib/auth/tokens';

const SECRET = 'token-test-secret-that-is-long-enough-for-hs256';

describe('tokens', () => {
  it('accepts a token until the second it expires, whether or not it was verified before', () => {
    let now = 1_800_000_000_000;
    const tokens = createTokenService(SECRET, 60, () => now);
    const [seen, unseen] = [tokens.issue('user-1'), tokens.issue('user-2')];
    expect(tokens.verify(seen)).toBe('user-1');
    now += 59_999;
    expect(tokens.verify(seen)).toBe('user-1');
    now += 1;
    expect(tokens.verify(seen)).toBeNull();
    expect(tokens.verify(unseen)).toBeNull();
  });

  it('refuses forged, tampered, unsigned and expiry-less tokens', () => {
    const tokens = createTokenService(SECRET, 60);
    const good = tokens.issue('user-1');
    expect(tokens.verify(good)).toBe('user-1');
    const [header, payload, signature] = good.split('.');
    const tampered = [header, Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'user-2' })).toString('base64url'), signature].join('.');
    const forged = jwt.sign({}, 'another-secret-that-is-long-enough-for-hs256', { subject: 'user-1', expiresIn: 60 });
    const unsigned = jwt.sign({}, '', { subject: 'user-1', algorithm: 'none', expiresIn: 60 });
    const forever = jwt.sign({}, SECRET, { subject: 'user-1' });
    for (const token of [tampered, forged, unsigned, forever, 'not.a.jwt', '']) expect(tokens.verify(token)).toBeNull();
    // A refused token is not remembered as valid either.
    expect(tokens.verify(tampered)).toBeNull();
  });

  it('carries the session epoch and a unique id; a token from before the epoch claim is in epoch 0', () => {
    const tokens = createTokenService(SECRET, 60);
    const [a, b] = [tokens.issue('user-1', 3), tokens.issue('user-1', 3)];
    const [sa, sb] = [tokens.verifySession(a)!, tokens.verifySession(b)!];
    expect(sa).toMatchObject({ subject: 'user-1', epoch: 3 });
    expect(sa.jti).toMatch(/^[\w-]{22}$/);
    expect(sb.jti).not.toBe(sa.jti);
    expect(tokens.verifySession(a)).toEqual(sa); // remembered
    expect(tokens.verifySession(jwt.sign({}, SECRET, { subject: 'user-1', expiresIn: 60 }))).toMatchObject({ subject: 'user-1', epoch: 0 });
    for (const sep of [-1, 1.5, 'x']) expect(tokens.verifySession(jwt.sign({ sep }, SECRET, { subject: 'user-1', expiresIn: 60 }))).toBeNull();
  });
});
