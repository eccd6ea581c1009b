/**
 * Beneficiary rules (docs/rewards.md, "Beneficiaries"; steemd comment_options_evaluator and the witness plugin).
 * The payout math in distributeBatchRewards handles any count; these checks run when an author sets them.
 */
import { STEEM_100_PERCENT, STEEM_BENEFICIARY_LIMIT } from './constants';
import type { RewardPolicy } from './policy';

export interface Beneficiary {
  account: string;
  /** Basis points of the *author* share (after curation). */
  weight: number;
}

export type BeneficiaryRefusalCode =
  | 'BENEFICIARIES_EMPTY'
  | 'BENEFICIARIES_TOO_MANY'
  | 'BENEFICIARY_WEIGHT_INVALID'
  | 'BENEFICIARIES_OVER_100_PERCENT'
  | 'BENEFICIARIES_NOT_SORTED';

export type BeneficiaryCheck = { ok: true } | { ok: false; code: BeneficiaryRefusalCode; message: string };

/**
 * Consensus rules (≥ 1, each weight 1…10000 — steemd allows 0 but it pays nothing —, total ≤ 10000,
 * strictly ascending account names, so no duplicates) plus the policy's count limit: the witness
 * plugin's soft limit of 8, which mainnet effectively enforces, rather than consensus' 127.
 * Existence of accounts and "only before the first vote" are checked by the caller.
 */
export function validateBeneficiaries(
  beneficiaries: readonly Beneficiary[],
  policy: Pick<RewardPolicy, 'maxBeneficiaries'>,
): BeneficiaryCheck {
  if (beneficiaries.length === 0) return { ok: false, code: 'BENEFICIARIES_EMPTY', message: 'Must specify at least one beneficiary.' };
  const limit = Math.min(policy.maxBeneficiaries, STEEM_BENEFICIARY_LIMIT - 1);
  if (beneficiaries.length > limit) {
    return { ok: false, code: 'BENEFICIARIES_TOO_MANY', message: `At most ${limit} beneficiaries are allowed, got ${beneficiaries.length}.` };
  }
  let total = 0;
  for (let i = 0; i < beneficiaries.length; i++) {
    const { account, weight } = beneficiaries[i];
    if (!Number.isInteger(weight) || weight < 1 || weight > STEEM_100_PERCENT) {
      return { ok: false, code: 'BENEFICIARY_WEIGHT_INVALID', message: `Beneficiary ${account} weight must be 1…10000, got ${weight}.` };
    }
    total += weight;
    if (i > 0 && !(beneficiaries[i - 1].account < account)) {
      return { ok: false, code: 'BENEFICIARIES_NOT_SORTED', message: 'Benificiaries must be specified in sorted order (account ascending), without duplicates.' };
    }
  }
  if (total > STEEM_100_PERCENT) {
    return { ok: false, code: 'BENEFICIARIES_OVER_100_PERCENT', message: `Beneficiary weights total ${total}, more than 10000.` };
  }
  return { ok: true };
}
