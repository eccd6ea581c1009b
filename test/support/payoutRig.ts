import { createChainClient, loadTreasuryKey, parseAmount, type ChainClient } from '../../chain';
import { startDevnet, type Devnet } from '../../devinfra/steem-devnet';
import { payoutReadiness } from '../../commands/payouts/payoutState';
import { createLogger } from '../../lib/logger';
import { PayoutWorker, type PayoutSettings } from '../../workers/payouts/payoutWorker';
import { startTestApi, type TestApi } from './api';

/** The payout window the settlement tests run with, in seconds. */
export const TEST_PAYOUT_WINDOW = 3600;
const DAY_MS = 86_400_000;

/** Small batches and transactions, so a few posts exercise several of each. */
export const TEST_PAYOUT_SETTINGS: PayoutSettings = {
  batchSize: 50,
  delaySeconds: 60,
  batchesPerPass: 5,
  pollMs: 1000,
  maxOperations: 4,
  maxBytes: 4096,
  expirationSeconds: 60,
  leaseMs: 30_000,
  paymentsPerPass: 500,
  concurrency: 2,
};

export interface PayoutRig {
  api: TestApi;
  devnet: Devnet;
  chain: ChainClient;
  newWorker(): PayoutWorker;
  /** Liquid balance and the STEEM powered up to the account by the treasury, from its history. */
  holdings(account: string): Promise<{ liquid: bigint; powered: bigint }>;
  /** Runs worker passes, producing blocks between them, until nothing is left in flight. */
  settleEverything(worker: PayoutWorker, passes: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A test API paying out on its own devnet (blocks produced by hand, on the API's clock), with the
 * reward fund accruing for ten days (1,000 STEEM) before the first test.
 */
export async function startPayoutRig(): Promise<PayoutRig> {
  const api = await startTestApi({ env: { PAYOUT_WINDOW_SECONDS: String(TEST_PAYOUT_WINDOW) } });
  const devnet = await startDevnet({ port: 0, blockIntervalMs: null, irreversibleLag: 2, clock: () => api.clock.now().getTime() });
  const chain = createChainClient({ nodes: [devnet.url], chainId: devnet.chainId, addressPrefix: devnet.addressPrefix, timeoutMs: 2000, broadcastTimeoutMs: 2000 });
  api.services.chain = chain;
  api.services.treasury = loadTreasuryKey({ account: devnet.treasury.name, key: devnet.treasury.activeKey });
  api.services.readiness.register('payouts', payoutReadiness);
  await api.http().get('/api/rewards/fund').expect(200); // the fund starts accruing now
  api.clock.advance(10 * DAY_MS);
  return {
    api,
    devnet,
    chain,
    newWorker: () => new PayoutWorker({ chain, treasury: api.services.treasury!, clock: api.clock, logger: createLogger('silent'), policy: api.services.policy, settings: TEST_PAYOUT_SETTINGS }),
    async holdings(account) {
      const state = await chain.getAccount(account);
      let powered = 0n;
      for await (const entry of chain.scanAccountHistory(account)) {
        const [name, body] = entry.op;
        if (name === 'transfer_to_vesting' && body.from === devnet.treasury.name && body.to === account) powered += parseAmount(body.amount as string, 'STEEM');
      }
      return { liquid: state?.balance ?? 0n, powered };
    },
    async settleEverything(worker, passes) {
      for (let i = 0; i < passes; i++) {
        await worker.tick();
        devnet.produceBlocks(3);
      }
    },
    async close() {
      await api.close();
      await devnet.stop();
    },
  };
}
