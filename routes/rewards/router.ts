import Router from '@koa/router';
import { currentFund } from '../../commands/rewards/fund';
import { formatSteem } from '../../domain/money';
import { presentRewardPolicy } from '../../domain/rewards';
import type { Services } from '../../server/services';

/** The reward fund as it stands now, and the policy in force. */
export function rewardsRouter(services: Services): Router {
  const router = new Router({ prefix: '/api/rewards' });
  router.get('/fund', async (ctx) => {
    const now = Math.floor(services.clock.now().getTime() / 1000);
    const fund = await currentFund(services.policy, now);
    ctx.body = {
      rewardBalance: formatSteem(fund.rewardBalance),
      recentClaims: fund.recentClaims.toString(),
      lastUpdate: new Date(now * 1000).toISOString(),
      policyVersion: services.policy.policyVersion,
    };
  });
  router.get('/policy', (ctx) => {
    ctx.body = { policy: presentRewardPolicy(services.policy) };
  });
  return router;
}
