import { checkTreasuryKey, createChainClient, loadTreasuryKey, type ChainClient, type TreasuryKey } from '../chain';
import type { Collection } from 'mongodb';
import type { Devnet } from '../devinfra/steem-devnet';
import { DevnetPortInUse, embedDevnet, joinRecordedDevnet, recordDevnet, type DevnetRecord } from './embeddedDevnet';
import type { Config } from './config';
import type { Logger } from '../lib/logger';

export interface ChainRuntime {
  client: ChainClient;
  treasury: TreasuryKey;
  /** Set when the platform runs its own local devnet (no STEEM_NODES): development default. */
  devnetUrl?: string;
  stop(): Promise<void>;
}

export interface StartChainOptions {
  /** `worker` (npm run worker) never starts a devnet: it joins the recorded one or refuses to start. */
  role?: 'api' | 'worker';
  /**
   * Where the embedded devnet is recorded (the platform's database), so every process on one database
   * uses one chain. Without it (tests of this module alone) a devnet is started and not recorded.
   */
  devnetRecords?: Collection<DevnetRecord>;
}

/**
 * Connects to Steem: the configured nodes with the treasury key checked against the account's
 * active authority, or (no STEEM_NODES) the local devnet: the one another process on this database
 * embeds, else (API processes only) one started in-process with a funded treasury and recorded.
 */
export async function startChain(config: Config, logger: Logger, options: StartChainOptions = {}): Promise<ChainRuntime> {
  const chainLogger = logger.child({ component: 'chain' });
  if (config.chain.nodes.length === 0) {
    if (!options.devnetRecords) return started(await embedDevnet(devnetOptions(config)), config, logger);
    return startOrJoinDevnet(config, logger, options.role ?? 'api', options.devnetRecords);
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

const devnetOptions = (config: Config) => ({ port: config.chain.devnetPort, controlApi: config.env !== 'production' });

/** Attempts at agreeing on one devnet with processes starting at the same moment. */
const AGREEMENT_ATTEMPTS = 3;

async function startOrJoinDevnet(config: Config, logger: Logger, role: 'api' | 'worker', records: Collection<DevnetRecord>): Promise<ChainRuntime> {
  const chainLogger = logger.child({ component: 'chain' });
  let lastFailure: unknown;
  for (let attempt = 1; attempt <= AGREEMENT_ATTEMPTS; attempt++) {
    const recorded = await records.findOne({ _id: 'embedded' });
    if (recorded) {
      const joined = await joinRecordedDevnet(recorded, config.chain.timeoutMs, chainLogger);
      if ('client' in joined) {
        logger.info(
          { url: recorded.url, chainId: recorded.chainId, treasury: recorded.treasury, embeddedBy: recorded.pid },
          `chain: joined the local devnet (development) at ${recorded.url} that process ${recorded.pid} embeds, treasury ${recorded.treasury}`,
        );
        return { client: joined.client, treasury: joined.treasury, devnetUrl: recorded.url, stop: async () => {} };
      }
      if (role === 'worker') throw new Error(noChainToJoin(joined.reason));
      logger.warn({ reason: joined.reason }, 'chain: the recorded devnet is gone; starting a new one (payments recorded on the old chain are not on it)');
    } else if (role === 'worker') {
      throw new Error(noChainToJoin('no process on this database runs an embedded devnet'));
    }
    let devnet: Devnet;
    try {
      devnet = await embedDevnet(devnetOptions(config));
    } catch (error) {
      // Another process may be starting on the same port right now: look at the record again.
      if (!(error instanceof DevnetPortInUse) || attempt === AGREEMENT_ATTEMPTS) throw error;
      lastFailure = error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      continue;
    }
    const mine = await recordDevnet(records, devnet, recorded).catch(async (error: unknown) => {
      await devnet.stop();
      throw error;
    });
    if (mine) return started(devnet, config, logger, mine.stop);
    // Another process recorded its devnet first: use that one instead of a second chain.
    await devnet.stop();
  }
  throw lastFailure instanceof Error ? lastFailure : new Error('chain: could not agree on one devnet with the other processes on this database');
}

function noChainToJoin(reason: string): string {
  return (
    `npm run worker has no Steem chain to join: ${reason}. Without STEEM_NODES the worker joins the devnet that ` +
    '`npm start` embeds and records in the same database (start it first, with the same MONGODB_URI); ' +
    'otherwise set STEEM_NODES, STEEM_CHAIN_ID, TREASURY_ACCOUNT and TREASURY_ACTIVE_KEY or TREASURY_ACTIVE_KEY_FILE ' +
    '(for `npm run devnet`: its URL, its chain id, inkwell-treasury and .data/devnet-treasury.wif)'
  );
}

function started(devnet: Devnet, config: Config, logger: Logger, stop: () => Promise<void> = () => devnet.stop()): ChainRuntime {
  const client = createChainClient({ nodes: [devnet.url], chainId: devnet.chainId, addressPrefix: devnet.addressPrefix, timeoutMs: config.chain.timeoutMs, logger: logger.child({ component: 'chain' }) });
  const treasury = loadTreasuryKey({ account: devnet.treasury.name, key: devnet.treasury.activeKey });
  logger.info(
    { url: devnet.url, chainId: devnet.chainId, treasury: devnet.treasury.name, devnetApi: devnet.controlApi },
    `chain: local devnet (development) at ${devnet.url}, treasury ${devnet.treasury.name}, devnet_api ${devnet.controlApi ? 'on (loopback only)' : 'off'}`,
  );
  return { client, treasury, devnetUrl: devnet.url, stop };
}
