import { checkTreasuryKey, createChainClient, loadTreasuryKey, type ChainClient, type TreasuryKey } from '../chain';
import { startDevnet } from '../devinfra/steem-devnet';
import type { Config } from './config';
import type { Logger } from '../lib/logger';

export interface ChainRuntime {
  client: ChainClient;
  treasury: TreasuryKey;
  /** Set when the platform runs its own local devnet (no STEEM_NODES): development default. */
  devnetUrl?: string;
  stop(): Promise<void>;
}

/**
 * Connects to Steem: the configured nodes with the treasury key checked against the account's
 * active authority, or (no STEEM_NODES) the local devnet started in-process with a funded treasury.
 */
export async function startChain(config: Config, logger: Logger): Promise<ChainRuntime> {
  const chainLogger = logger.child({ component: 'chain' });
  if (config.chain.nodes.length === 0) {
    // Bound to loopback; its devnet_api (accounts and STEEM from nothing, fault injection) is development
    // tooling and is never served by a production process.
    const devnet = await startDevnet({ port: config.chain.devnetPort, host: '127.0.0.1', controlApi: config.env !== 'production' });
    const client = createChainClient({ nodes: [devnet.url], chainId: devnet.chainId, addressPrefix: devnet.addressPrefix, timeoutMs: config.chain.timeoutMs, logger: chainLogger });
    const treasury = loadTreasuryKey({ account: devnet.treasury.name, key: devnet.treasury.activeKey });
    logger.info(
      { url: devnet.url, chainId: devnet.chainId, treasury: devnet.treasury.name, devnetApi: devnet.controlApi },
      `chain: local devnet (development) at ${devnet.url}, treasury ${devnet.treasury.name}, devnet_api ${devnet.controlApi ? 'on (loopback only)' : 'off'}`,
    );
    return { client, treasury, devnetUrl: devnet.url, stop: () => devnet.stop() };
  }
  const client = createChainClient({
    nodes: config.chain.nodes,
    chainId: config.chain.chainId,
    addressPrefix: config.chain.addressPrefix,
    timeoutMs: config.chain.timeoutMs,
    logger: chainLogger,
  });
  const account = config.chain.treasuryAccount!;
  const treasury = loadTreasuryKey({ account, key: config.chain.treasuryKey, keyFile: config.chain.treasuryKeyFile });
  const check = await checkTreasuryKey(client, account, treasury);
  logger.info({ treasury: account, publicKey: check.publicKey }, `treasury: ${account} active key ${check.publicKey} meets the active authority (${check.weight}/${check.threshold})`);
  return { client, treasury, stop: async () => {} };
}
