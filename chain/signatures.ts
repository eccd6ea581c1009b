import { parseCompactSignature, publicKeyBytes, recoverPublicKey, SignatureFormatError } from './keys';
import { sha256 } from './serialization';
import type { AuthorityJson } from './types';

export type SignatureRejection = 'malformed' | 'non_canonical' | 'unrecoverable' | 'duplicate_signer';

export interface AuthorityVerification {
  ok: boolean;
  /** Sum of the weights of the authority keys that signed. */
  weight: number;
  threshold: number;
  /** Public keys (in `addressPrefix`) recovered from the signatures, in input order. */
  signers: string[];
  /** Recovered keys that are not in the authority; they add no weight. */
  unknownSigners: string[];
  /** Set when any signature is unusable; `ok` is then false whatever the weight. */
  rejected?: { index: number; reason: SignatureRejection };
}

export interface VerifyAuthoritySignaturesInput {
  authority: Pick<AuthorityJson, 'weight_threshold' | 'key_auths'> & Partial<Pick<AuthorityJson, 'account_auths'>>;
  /** The exact challenge text; each signature is over SHA-256 of its UTF-8 bytes. */
  challenge: string;
  /** Hex of 65-byte compact signatures, as dsteem's `PrivateKey.sign(sha256(challenge)).toString()`. */
  signatures: string[];
  addressPrefix?: string;
}

/**
 * Decides whether signatures over a challenge satisfy an account authority: recovers each signer
 * and sums the weights of matching `key_auths` against `weight_threshold`, like steemd's
 * `sign_state`. Account authorities (`account_auths`) are not followed: this pure check only
 * sees keys. Signatures must be BIP-62 canonical (steemd since HF20) and each signer may count once
 * (steemd's `tx_duplicate_sig`).
 */
export function verifyAuthoritySignatures(input: VerifyAuthoritySignaturesInput): AuthorityVerification {
  const { authority, challenge, signatures, addressPrefix = 'STM' } = input;
  const threshold = authority.weight_threshold;
  const result: AuthorityVerification = { ok: false, weight: 0, threshold, signers: [], unknownSigners: [] };
  const digest = sha256(Buffer.from(challenge, 'utf8'));
  const weights = new Map<string, number>();
  for (const [key, weight] of authority.key_auths) {
    const bytes = publicKeyBytes(key);
    if (bytes) weights.set(bytes, (weights.get(bytes) ?? 0) + weight);
  }
  const seen = new Set<string>();
  for (const [index, hex] of signatures.entries()) {
    let compact: Buffer;
    try {
      compact = parseCompactSignature(hex);
    } catch {
      return { ...result, rejected: { index, reason: 'malformed' } };
    }
    let signer;
    try {
      signer = recoverPublicKey(compact, digest, addressPrefix);
    } catch (error) {
      const reason = error instanceof SignatureFormatError && /canonical/.test(error.message) ? 'non_canonical' : 'unrecoverable';
      return { ...result, rejected: { index, reason } };
    }
    const bytes = signer.key.toString('hex');
    if (seen.has(bytes)) return { ...result, rejected: { index, reason: 'duplicate_signer' } };
    seen.add(bytes);
    result.signers.push(signer.toString());
    const weight = weights.get(bytes);
    if (weight === undefined) result.unknownSigners.push(signer.toString());
    else result.weight += weight;
  }
  // A zero threshold would be satisfied by nobody signing; steemd never creates one for a real account.
  result.ok = threshold > 0 && result.weight >= threshold;
  return result;
}
