import type mongoose from 'mongoose';
import type { Collection } from 'mongodb';
import { startChain, type ChainRuntime } from '../../server/chainRuntime';
import { DEVNET_RECORD_COLLECTION, type DevnetRecord } from '../../server/embeddedDevnet';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../lib/logger';
import { closeTestConnection, openTestConnection } from '../support/database';

/** Without STEEM_NODES, every process on one database uses the one devnet an API process embeds. */
let connection: mongoose.Connection;
let records: Collection<DevnetRecord>;
const running: ChainRuntime[] = [];
const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40), DEVNET_PORT: '0', STEEM_TIMEOUT_MS: '2000' });
const logger = createLogger('silent');
const start = async (role: 'api' | 'worker') => {
  const chain = await startChain(config, logger, { role, devnetRecords: records });
  running.push(chain);
  return chain;
};

const stop = (chain: ChainRuntime) => {
  running.splice(running.indexOf(chain), 1);
  return chain.stop();
};

beforeAll(async () => {
  connection = await openTestConnection('devnet');
  records = connection.db!.collection<DevnetRecord>(DEVNET_RECORD_COLLECTION);
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((chain) => chain.stop()));
  await records.deleteMany({});
});
afterAll(() => closeTestConnection(connection));

it('the first API process starts and records the devnet; a second API process and a worker join it', async () => {
  const first = await start('api');
  const record = await records.findOne({ _id: 'embedded' });
  expect(record).toMatchObject({ url: first.devnetUrl, treasury: 'inkwell-treasury', pid: process.pid });
  expect(JSON.stringify(record)).not.toContain(first.treasury.privateKey.toString()); // the key stays in its file

  const second = await start('api');
  const worker = await start('worker');
  expect(second.devnetUrl).toBe(first.devnetUrl);
  expect(worker.devnetUrl).toBe(first.devnetUrl);
  expect(worker.treasury.privateKey.toString()).toBe(first.treasury.privateKey.toString());
  expect((await worker.client.getDynamicGlobalProperties()).head_block_number).toBeGreaterThan(0);

  // Stopping a process that joined leaves the devnet to its owner; stopping the owner removes the record.
  await stop(second);
  expect((await first.client.getDynamicGlobalProperties()).head_block_number).toBeGreaterThan(0);
  await stop(first);
  expect(await records.findOne({ _id: 'embedded' })).toBeNull();
});

it('a worker refuses to start without a devnet to join, saying what to set', async () => {
  await expect(start('worker')).rejects.toThrow(/no Steem chain to join: no process on this database runs an embedded devnet.*set STEEM_NODES, STEEM_CHAIN_ID, TREASURY_ACCOUNT/);
});

it('a recorded devnet that is gone is replaced by the next API process, and refused by a worker', async () => {
  const gone = await start('api');
  const stale = (await records.findOne({ _id: 'embedded' }))!;
  await stop(gone);
  await records.insertOne(stale); // as a process killed before it could remove its record leaves it
  // Stopped, its key file is gone too; killed, the file stays but nothing answers at the URL.
  await expect(start('worker')).rejects.toThrow(/no Steem chain to join: .*(cannot be read|does not answer as that chain)/);

  const next = await start('api');
  expect(next.devnetUrl).not.toBe(gone.devnetUrl);
  expect(await records.findOne({ _id: 'embedded' })).toMatchObject({ url: next.devnetUrl });
});
