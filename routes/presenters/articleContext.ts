import { currentFund } from '../../commands/rewards/fund';
import type { Services } from '../../server/services';
import type { PresentContext } from './article';

/** What presenting articles needs once per request: the fund as it stands now, and the policy. */
export async function articleContext(services: Services, withBody: boolean): Promise<PresentContext> {
  const fund = await currentFund(services.policy, Math.floor(services.clock.now().getTime() / 1000));
  return { withBody, fund, policy: services.policy };
}
