import { publicKeyBytes } from '../../chain/keys';
import { ordinal } from '../../lib/ordinal';
import type { AuthorityJson } from '../../chain/types';
import { MAX_AUTHORITY_MEMBERSHIP, MAX_SIG_CHECK_ACCOUNTS, MAX_SIG_CHECK_DEPTH } from './validation';

/**
 * A replica of steemd's `sign_state` (S protocol/sign_state.cpp): weights of signing keys are summed
 * in the authority's (sorted) order and the check stops as soon as the threshold is met, so a
 * signature that was not needed stays unused and is reported as irrelevant afterwards.
 */
export class SignState {
  private readonly provided = new Map<string, boolean>();
  private readonly approvedBy = new Set<string>(['temp']);

  constructor(
    signatureKeys: string[],
    private readonly getActive: (account: string) => AuthorityJson,
  ) {
    for (const key of signatureKeys) this.provided.set(key, false);
  }

  private signedBy(keyText: string): boolean {
    const key = publicKeyBytes(keyText);
    if (key === null || !this.provided.has(key)) return false;
    this.provided.set(key, true);
    return true;
  }

  checkAccount(account: string): boolean {
    if (this.approvedBy.has(account)) return true;
    return this.check(this.getActive(account), 0, { count: 1 });
  }

  check(authority: AuthorityJson, depth = 0, accountCount = { count: 1 }): boolean {
    let total = 0;
    let membership = 0;
    const keyAuths = [...authority.key_auths].sort(([a], [b]) => ordinal(publicKeyBytes(a) ?? '', publicKeyBytes(b) ?? ''));
    for (const [key, weight] of keyAuths) {
      if (this.signedBy(key)) {
        total += weight;
        if (total >= authority.weight_threshold) return true;
      }
      membership++;
      if (membership >= MAX_AUTHORITY_MEMBERSHIP) return false;
    }
    const accountAuths = [...authority.account_auths].sort(([a], [b]) => ordinal(a, b));
    for (const [account, weight] of accountAuths) {
      if (!this.approvedBy.has(account)) {
        if (depth === MAX_SIG_CHECK_DEPTH) continue;
        if (accountCount.count >= MAX_SIG_CHECK_ACCOUNTS) return false;
        accountCount.count++;
        if (this.check(this.getActive(account), depth + 1, accountCount)) {
          this.approvedBy.add(account);
          total += weight;
          if (total >= authority.weight_threshold) return true;
        }
      } else {
        total += weight;
        if (total >= authority.weight_threshold) return true;
      }
      membership++;
      if (membership >= MAX_AUTHORITY_MEMBERSHIP) return false;
    }
    return total >= authority.weight_threshold;
  }

  /** True when some provided signature was never needed (`remove_unused_signatures`). */
  hasUnusedSignatures(): boolean {
    return [...this.provided.values()].some((used) => !used);
  }
}
