import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { isValidSteemAccountName } from '../domain/accounts';
import { ChainError } from './errors';
import { PrivateKey, publicKeyBytes } from './keys';
import type { ChainClient } from './client';

export class TreasuryKeyError extends ChainError {
  constructor(code: 'TREASURY_ACCOUNT_INVALID' | 'TREASURY_KEY_MISSING' | 'TREASURY_KEY_INVALID' | 'TREASURY_KEY_MISMATCH' | 'TREASURY_ACCOUNT_UNKNOWN', message: string) {
    super(code, message);
  }
}

/**
 * The treasury's active key. The WIF is held in a private field: JSON, logs and `inspect` only
 * ever show the account and the public key.
 */
export class TreasuryKey {
  readonly #key: PrivateKey;
  constructor(
    readonly account: string,
    key: PrivateKey,
  ) {
    this.#key = key;
  }
  get privateKey(): PrivateKey {
    return this.#key;
  }
  publicKey(addressPrefix = 'STM'): string {
    return this.#key.createPublic(addressPrefix).toString();
  }
  toJSON(): { account: string; publicKey: string } {
    return { account: this.account, publicKey: this.publicKey() };
  }
  [inspect.custom](): string {
    return `TreasuryKey(${this.account}, ${this.publicKey()})`;
  }
}

/** Reads the treasury WIF from the value (TREASURY_ACTIVE_KEY) or a file (TREASURY_ACTIVE_KEY_FILE). */
export function loadTreasuryKey({ account, key, keyFile }: { account: string; key?: string; keyFile?: string }): TreasuryKey {
  if (!isValidSteemAccountName(account)) throw new TreasuryKeyError('TREASURY_ACCOUNT_INVALID', `treasury account "${account}" is not a Steem account name`);
  let wif = key?.trim();
  if (!wif && keyFile) {
    try {
      wif = readFileSync(keyFile, 'utf8').trim();
    } catch {
      throw new TreasuryKeyError('TREASURY_KEY_MISSING', `TREASURY_ACTIVE_KEY_FILE could not be read: ${keyFile}`);
    }
  }
  if (!wif) throw new TreasuryKeyError('TREASURY_KEY_MISSING', `no TREASURY_ACTIVE_KEY or TREASURY_ACTIVE_KEY_FILE given for ${account}`);
  try {
    return new TreasuryKey(account, PrivateKey.fromString(wif));
  } catch {
    throw new TreasuryKeyError('TREASURY_KEY_INVALID', `TREASURY_ACTIVE_KEY for ${account} is not a valid WIF private key`);
  }
}

export interface TreasuryKeyCheck {
  publicKey: string;
  weight: number;
  threshold: number;
}

/** Confirms the key alone satisfies the account's active authority (transfers need active). */
export async function checkTreasuryKey(client: ChainClient, account: string, key: TreasuryKey | PrivateKey): Promise<TreasuryKeyCheck> {
  const privateKey = key instanceof TreasuryKey ? key.privateKey : key;
  const publicKey = privateKey.createPublic(client.addressPrefix).toString();
  const chainAccount = await client.getAccount(account);
  if (!chainAccount) throw new TreasuryKeyError('TREASURY_ACCOUNT_UNKNOWN', `treasury account ${account} does not exist on the chain`);
  const ownBytes = publicKeyBytes(publicKey);
  const { key_auths, weight_threshold } = chainAccount.active;
  const weight = key_auths.filter(([candidate]) => publicKeyBytes(candidate) === ownBytes).reduce((sum, [, w]) => sum + w, 0);
  if (weight === 0) {
    throw new TreasuryKeyError('TREASURY_KEY_MISMATCH', `TREASURY_ACTIVE_KEY does not match the active authority of ${account}`);
  }
  if (weight < weight_threshold) {
    throw new TreasuryKeyError(
      'TREASURY_KEY_MISMATCH',
      `TREASURY_ACTIVE_KEY has weight ${weight} in the active authority of ${account}, below its threshold ${weight_threshold}`,
    );
  }
  return { publicKey, weight, threshold: weight_threshold };
}
