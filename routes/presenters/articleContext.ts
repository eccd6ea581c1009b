import { currentFund } from '../../commands/rewards/fund';
import type { RewardFundState } from '../../domain/rewards';
import type { Services } from '../../server/services';
import type { PresentContext } from './article';

/**
 * What presenting articles needs once per request: the fund as it stands now (read unless the caller
 * has it, as a vote's batch does), and the policy.
 */
export async function articleContext(services: Services, withBody: boolean, fundNow?: RewardFundState): Promise<PresentContext> {
  const fund = fundNow ?? (await currentFund(services.policy, Math.floor(services.clock.now().getTime() / 1000)));
  return { withBody, fund, policy: services.policy };
}
