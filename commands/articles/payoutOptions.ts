import { validateBeneficiaries, type RewardPolicy } from '../../domain/rewards';
import { validationFailed } from '../../lib/errors';
import type { PayoutOptions } from './createArticle';

/**
 * Steem's comment_options rules: at most the policy's beneficiaries (8), sorted by account without
 * duplicates, weights summing to at most 100 %; max_accepted_payout can only be lowered from the
 * policy's ceiling.
 */
export function checkPayoutOptions(options: PayoutOptions, policy: RewardPolicy): void {
  if (options.beneficiaries && options.beneficiaries.length > 0) {
    const check = validateBeneficiaries(options.beneficiaries, policy);
    if (!check.ok) throw validationFailed(check.message, 'beneficiaries', check.code);
  }
  if (options.maxAcceptedPayout !== undefined && BigInt(options.maxAcceptedPayout) > policy.maxAcceptedPayoutDefault) {
    throw validationFailed('cannot exceed the platform maximum', 'maxAcceptedPayout');
  }
}
