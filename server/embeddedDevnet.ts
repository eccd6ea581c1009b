import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Collection } from 'mongodb';
import { checkTreasuryKey, createChainClient, loadTreasuryKey, type ChainClient, type ChainLogger, type TreasuryKey } from '../chain';
import { startDevnet, type Devnet } from '../devinfra/steem-devnet';

/**
 * The devnet a process embeds (no STEEM_NODES), as recorded in the platform's database so that other
 * processes on the same database (a second API, `npm run worker`) join that chain instead of starting
 * one of their own. The treasury key is not in the database: it is in a file only this machine's user
 * can read, and the record names the file.
 */
export interface DevnetRecord {
  _id: 'embedded';
  url: string;
  chainId: string;
  addressPrefix: string;
  treasury: string;
  treasuryKeyFile: string;
  pid: number;
  host: string;
  startedAt: Date;
}

export const DEVNET_RECORD_COLLECTION = 'embedded_devnet';

/** How long a joining process waits for a recorded devnet to answer before it counts as gone. */
const PROBE_TIMEOUT_MS = 2000;

export interface JoinedChain {
  client: ChainClient;
  treasury: TreasuryKey;
  record: DevnetRecord;
}

/** Joins the recorded devnet if it answers and the recorded key is its treasury's; otherwise says why not. */
export async function joinRecordedDevnet(record: DevnetRecord, timeoutMs: number, logger: ChainLogger): Promise<JoinedChain | { reason: string }> {
  const where = `the devnet at ${record.url} (recorded by process ${record.pid} on ${record.host} at ${record.startedAt.toISOString()})`;
  let treasury: TreasuryKey;
  try {
    treasury = loadTreasuryKey({ account: record.treasury, keyFile: record.treasuryKeyFile });
  } catch {
    return { reason: `the treasury key file of ${where} cannot be read (${record.treasuryKeyFile})` };
  }
  const probe = createChainClient({ nodes: [record.url], chainId: record.chainId, addressPrefix: record.addressPrefix, timeoutMs: PROBE_TIMEOUT_MS, unhealthyCooldownMs: 0 });
  try {
    await checkTreasuryKey(probe, record.treasury, treasury);
  } catch (error) {
    return { reason: `${where} does not answer as that chain (${error instanceof Error ? error.message : String(error)})` };
  }
  const client = createChainClient({ nodes: [record.url], chainId: record.chainId, addressPrefix: record.addressPrefix, timeoutMs, logger });
  return { client, treasury, record };
}

export interface RecordedDevnet {
  devnet: Devnet;
  record: DevnetRecord;
  /** Removes the record (if it is still this devnet's) and the key file, then stops the devnet. */
  stop(): Promise<void>;
}

/**
 * Records a devnet this process started, unless another process recorded a live one first: `expected`
 * is the record this process found (and judged gone), replaced only if it is still there unchanged.
 * Returns undefined when another process won; the caller then stops its devnet and joins that one.
 */
export async function recordDevnet(records: Collection<DevnetRecord>, devnet: Devnet, expected: DevnetRecord | null): Promise<RecordedDevnet | undefined> {
  const keyDirectory = mkdtempSync(join(tmpdir(), 'inkwell-devnet-'));
  const treasuryKeyFile = join(keyDirectory, 'treasury.wif');
  writeFileSync(treasuryKeyFile, `${devnet.treasury.activeKey}\n`, { mode: 0o600 });
  const record: DevnetRecord = {
    _id: 'embedded',
    url: devnet.url,
    chainId: devnet.chainId,
    addressPrefix: devnet.addressPrefix,
    treasury: devnet.treasury.name,
    treasuryKeyFile,
    pid: process.pid,
    host: hostname(),
    startedAt: new Date(),
  };
  const removeKey = () => rmSync(keyDirectory, { recursive: true, force: true });
  let won: boolean;
  try {
    won = expected
      ? (await records.replaceOne({ _id: 'embedded', url: expected.url, chainId: expected.chainId, pid: expected.pid, startedAt: expected.startedAt }, record)).matchedCount === 1
      : await records.insertOne(record).then(
          () => true,
          (error: unknown) => {
            if ((error as { code?: number }).code === 11000) return false;
            throw error;
          },
        );
  } catch (error) {
    removeKey();
    throw error;
  }
  if (!won) {
    removeKey();
    return undefined;
  }
  return {
    devnet,
    record,
    stop: async () => {
      await records.deleteOne({ _id: 'embedded', url: record.url, pid: record.pid, startedAt: record.startedAt }).catch(() => undefined);
      removeKey();
      await devnet.stop();
    },
  };
}

export interface EmbedOptions {
  port: number;
  controlApi: boolean;
}

/** Starts a devnet on loopback; a port in use is reported with what to set instead. */
export async function embedDevnet(options: EmbedOptions): Promise<Devnet> {
  try {
    // Bound to loopback; its devnet_api (accounts and STEEM from nothing, fault injection) is development
    // tooling and is never served by a production process.
    return await startDevnet({ port: options.port, host: '127.0.0.1', controlApi: options.controlApi });
  } catch (error) {
    if ((error as { code?: string }).code === 'EADDRINUSE') throw new DevnetPortInUse(options.port);
    throw error;
  }
}

export class DevnetPortInUse extends Error {
  constructor(readonly port: number) {
    super(
      `DEVNET_PORT ${port} is in use, and no running devnet is recorded in this database. If it is a devnet of yours ` +
        '(`npm run devnet`), set STEEM_NODES, STEEM_CHAIN_ID, TREASURY_ACCOUNT and TREASURY_ACTIVE_KEY_FILE to use it; ' +
        'otherwise set DEVNET_PORT to a free port',
    );
  }
}
