import { randomBytes } from 'node:crypto';
import { PrivateKey, PublicKey, Signature, cryptoUtils } from 'dsteem';

/**
 * Key and signature primitives. Every other module (and the devnet) goes through these so that
 * dsteem stays behind the chain/ boundary.
 */
export { PrivateKey, PublicKey, Signature, cryptoUtils };

// secp256k1 group order / 2; steemd since HF20 (`__1944`) accepts only BIP-62 low-S signatures.
const HALF_ORDER = Buffer.from('7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0', 'hex');

export class SignatureFormatError extends Error {
  readonly code = 'SIGNATURE_FORMAT';
}

/** fc `is_bip_0062_canonical`: s must not exceed n/2. */
export function isLowS(compact: Buffer): boolean {
  return Buffer.compare(compact.subarray(33, 65), HALF_ORDER) <= 0;
}

export function parseCompactSignature(hex: string): Buffer {
  if (typeof hex !== 'string' || !/^[0-9a-fA-F]{130}$/.test(hex)) {
    throw new SignatureFormatError('signature must be 130 hex characters (65-byte compact signature)');
  }
  return Buffer.from(hex, 'hex');
}

/**
 * Recovers the signer's public key from a 65-byte compact signature the way fc does
 * (`public_key(compact_signature, digest, canonical)`): header byte 27..34, BIP-62 canonical.
 */
export function recoverPublicKey(compact: Buffer, digest: Buffer, addressPrefix: string): PublicKey {
  const header = compact[0];
  if (header < 27 || header >= 35) throw new SignatureFormatError('unable to reconstruct public key from signature');
  if (!isLowS(compact)) throw new SignatureFormatError('signature is not canonical');
  const recovery = (header - 27) & 3;
  try {
    return new Signature(compact.subarray(1), recovery).recover(digest, addressPrefix);
  } catch {
    throw new SignatureFormatError('unable to reconstruct public key from signature');
  }
}

/** Parses a public key string; returns null for anything malformed. */
export function tryParsePublicKey(text: string): PublicKey | null {
  try {
    return PublicKey.fromString(text);
  } catch {
    return null;
  }
}

/** Compares keys by their 33 compressed bytes, so "STM…" and "TST…" spellings of one key are equal. */
export function publicKeyBytes(text: string): string | null {
  return tryParsePublicKey(text)?.key.toString('hex') ?? null;
}

export function parsePrivateKey(wif: string): PrivateKey {
  return PrivateKey.fromString(wif);
}

/** A fresh random key (devnet accounts, tests). */
export function randomPrivateKey(): PrivateKey {
  return new PrivateKey(randomBytes(32));
}
