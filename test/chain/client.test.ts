import { createServer } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import {
  checkTreasuryKey,
  createChainClient,
  DuplicateTransaction,
  InsufficientFunds,
  loadTreasuryKey,
  MissingAuthority,
  NodeUnreachable,
  PrivateKey,
  signTransaction,
  TaposMismatch,
  TransactionExpired,
  TreasuryKeyError,
  UnknownAccount,
  type ChainClient,
  type HistoryEntry,
} from '../../chain';
import { startDevnet, type Devnet } from '../../devinfra/steem-devnet';

async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('chain client against the devnet', () => {
  let now = Date.parse('2024-03-01T12:00:00Z');
  let devnet: Devnet;
  let client: ChainClient;
  let bobActive: string;
  const transfer = (from: string, to: string, amount: string, memo = '') => ['transfer', { from, to, amount, memo }] as ['transfer', object];

  beforeAll(async () => {
    devnet = await startDevnet({ blockIntervalMs: 0, clock: () => now });
    client = createChainClient({ nodes: [devnet.url], chainId: devnet.chainId, addressPrefix: 'STM', timeoutMs: 1000, clock: () => now });
    bobActive = devnet.createAccount({ name: 'bob', balance: '5.000 STEEM' }).keys.active!;
  });
  afterAll(() => devnet.stop());

  it('computes the transaction id locally, and it is the id the node reports and finds', async () => {
    const signed = await client.buildAndSignTransaction([transfer(devnet.treasury.name, 'bob', '1.250 STEEM', 'payout 1')], [devnet.treasury.activeKey]);
    expect(signed.id).toMatch(/^[0-9a-f]{40}$/);
    const result = await client.broadcastTransaction(signed.transaction);
    expect(result.id).toBe(signed.id);
    const found = await client.findTransaction(signed.id);
    expect(found).toMatchObject({ id: signed.id, blockNum: result.blockNum, trxNum: result.trxNum });
    expect(found!.transaction.signatures).toEqual(signed.transaction.signatures);
    const block = await client.getBlock(result.blockNum);
    expect(block!.transaction_ids).toContain(signed.id);
    expect(await client.findTransaction('0'.repeat(40))).toBeNull();
  });

  it('reads balances as exact integers and effective vesting shares', async () => {
    const bob = await client.getAccount('bob');
    expect(bob!.balance).toBe(6250n);
    expect(bob!.effectiveVestingShares).toBe(0n);
    expect(await client.getAccount('nobody-here')).toBeNull();
    // Names steemd's rule refuses cannot exist: absent, alongside the real ones asked with them.
    expect((await client.getAccounts(['ab.cde', 'bob', 'BOB', 'bob-'])).map((account) => account.name)).toEqual(['bob']);
    expect(await client.getAccount('b')).toBeNull();
    const [initminer] = await client.getAccounts(['initminer']);
    expect(initminer.effectiveVestingShares).toBe(176_000_000_000_000n);
  });

  it('scans a whole account history in pages', async () => {
    devnet.createAccount({ name: 'carol' });
    for (let i = 0; i < 7; i++) {
      const signed = await client.buildAndSignTransaction([transfer(devnet.treasury.name, 'carol', '0.001 STEEM', `n${i}`)], [devnet.treasury.activeKey]);
      await client.broadcastTransaction(signed.transaction);
    }
    const entries: HistoryEntry[] = [];
    for await (const entry of client.scanAccountHistory('carol', { pageSize: 2 })) entries.push(entry);
    expect(entries.map((e) => e.seq)).toEqual([6, 5, 4, 3, 2, 1, 0]);
    expect(entries.map((e) => (e.op[1] as { memo: string }).memo)).toEqual(['n6', 'n5', 'n4', 'n3', 'n2', 'n1', 'n0']);
    const recent: HistoryEntry[] = [];
    for await (const entry of client.scanAccountHistory('carol', { pageSize: 3, sinceSeq: 5 })) recent.push(entry);
    expect(recent.map((e) => e.seq)).toEqual([6, 5]);
    expect(await client.getAccountHistory('carol', -1, 1)).toHaveLength(2);
  });

  it('tells when a block is irreversible', async () => {
    const signed = await client.buildAndSignTransaction([transfer(devnet.treasury.name, 'bob', '0.001 STEEM')], [devnet.treasury.activeKey]);
    const { blockNum } = await client.broadcastTransaction(signed.transaction);
    expect(await client.isIrreversible(blockNum)).toBe(false);
    devnet.produceBlocks(14);
    expect(await client.isIrreversible(blockNum)).toBe(false);
    devnet.produceBlocks(1);
    expect(await client.isIrreversible(blockNum)).toBe(true);
  });

  it('maps steemd errors to typed errors', async () => {
    const overdraft = await client.buildAndSignTransaction([transfer('bob', devnet.treasury.name, '100.000 STEEM')], [bobActive]);
    await expect(client.broadcastTransaction(overdraft.transaction)).rejects.toBeInstanceOf(InsufficientFunds);

    const wrongKey = await client.buildAndSignTransaction([transfer('bob', devnet.treasury.name, '0.001 STEEM')], [devnet.treasury.activeKey]);
    await expect(client.broadcastTransaction(wrongKey.transaction)).rejects.toBeInstanceOf(MissingAuthority);

    const unknown = await client.buildAndSignTransaction([transfer(devnet.treasury.name, 'nobody-here', '0.001 STEEM')], [devnet.treasury.activeKey]);
    await expect(client.broadcastTransaction(unknown.transaction)).rejects.toBeInstanceOf(UnknownAccount);

    const once = await client.buildAndSignTransaction([transfer(devnet.treasury.name, 'bob', '0.002 STEEM')], [devnet.treasury.activeKey]);
    await client.broadcastTransaction(once.transaction);
    await expect(client.broadcastTransaction(once.transaction)).rejects.toBeInstanceOf(DuplicateTransaction);

    const properties = await client.getDynamicGlobalProperties();
    const badRef = signTransaction({ ...properties, head_block_id: 'ff'.repeat(20) }, [transfer(devnet.treasury.name, 'bob', '0.001 STEEM')], [devnet.treasury.activeKey], Buffer.from(devnet.chainId, 'hex'));
    await expect(client.broadcastTransaction(badRef.transaction)).rejects.toMatchObject({ code: 'TAPOS_MISMATCH' });
    await expect(client.broadcastTransaction(badRef.transaction)).rejects.toBeInstanceOf(TaposMismatch);

    const soon = await client.buildAndSignTransaction([transfer(devnet.treasury.name, 'bob', '0.003 STEEM')], [devnet.treasury.activeKey], { expirationSeconds: 5 });
    // Block time advances at least one 3-second slot per block.
    now += 10_000;
    devnet.produceBlocks(2);
    await expect(client.broadcastTransaction(soon.transaction)).rejects.toBeInstanceOf(TransactionExpired);
  });

  it('never puts a private key into an error message', async () => {
    const wif = devnet.treasury.activeKey;
    const broken = wif.slice(0, -1) + (wif.endsWith('1') ? '2' : '1');
    const error = await client.buildAndSignTransaction([transfer(devnet.treasury.name, 'bob', '0.001 STEEM')], [broken]).catch((e: Error) => e);
    expect((error as Error).message).not.toContain(broken);
    expect((error as Error).message).toMatch(/invalid private key/);
  });

  it('fails over from a dead node to the next and records node health', async () => {
    const dead = await deadUrl();
    const failover = createChainClient({ nodes: [dead, devnet.url], chainId: devnet.chainId, addressPrefix: 'STM', timeoutMs: 300, clock: () => now });
    const properties = await failover.getDynamicGlobalProperties();
    expect(properties.head_block_number).toBe(devnet.headBlockNumber());
    const [first, second] = failover.nodeHealth();
    expect(first).toMatchObject({ url: dead, consecutiveFailures: 1, lastErrorAt: now });
    expect(first.lastError).toBeTruthy();
    expect(second).toMatchObject({ url: devnet.url, consecutiveFailures: 0, lastSuccessAt: now });
    // The failed node now goes last: the next call does not touch it.
    await failover.getDynamicGlobalProperties();
    expect(failover.nodeHealth()[0].consecutiveFailures).toBe(1);
  });

  it('raises NodeUnreachable when every node is down', async () => {
    const unreachable = createChainClient({ nodes: [await deadUrl(), await deadUrl()], chainId: devnet.chainId, addressPrefix: 'STM', timeoutMs: 200 });
    const error = await unreachable.getDynamicGlobalProperties().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeUnreachable);
    expect((error as NodeUnreachable).failures).toHaveLength(2);

    devnet.setFaults({ down: true });
    try {
      const single = createChainClient({ nodes: [devnet.url], chainId: devnet.chainId, addressPrefix: 'STM', timeoutMs: 200 });
      await expect(single.getDynamicGlobalProperties()).rejects.toBeInstanceOf(NodeUnreachable);
    } finally {
      devnet.setFaults({ down: false });
    }
  });

  it('retries transient HTTP errors, then fails over', async () => {
    devnet.setFaults({ errorRate: 1 });
    try {
      const flaky = createChainClient({ nodes: [devnet.url], chainId: devnet.chainId, addressPrefix: 'STM', timeoutMs: 200 });
      await expect(flaky.getDynamicGlobalProperties()).rejects.toBeInstanceOf(NodeUnreachable);
    } finally {
      devnet.setFaults({ errorRate: 0 });
    }
  });

  it('a broadcast whose response was lost was still applied: findTransaction confirms it', async () => {
    const before = (await client.getAccount('bob'))!.balance;
    const signed = await client.buildAndSignTransaction([transfer(devnet.treasury.name, 'bob', '0.777 STEEM')], [devnet.treasury.activeKey]);
    devnet.setFaults({ dropResponseAfterApply: 1 });
    try {
      const outcome = await client.broadcastTransaction(signed.transaction).catch((e: unknown) => e);
      // dsteem retries the lost response; the node then reports the id as a duplicate (it was applied).
      expect(outcome instanceof DuplicateTransaction || outcome instanceof NodeUnreachable).toBe(true);
    } finally {
      devnet.setFaults({ dropResponseAfterApply: 0 });
    }
    const found = await client.findTransaction(signed.id);
    expect(found?.id).toBe(signed.id);
    expect((await client.getAccount('bob'))!.balance).toBe(before + 777n);
  });
});

describe('treasury key', () => {
  let devnet: Devnet;
  let client: ChainClient;
  beforeAll(async () => {
    devnet = await startDevnet({ blockIntervalMs: 0 });
    client = createChainClient({ nodes: [devnet.url], chainId: devnet.chainId, addressPrefix: 'STM', timeoutMs: 1000 });
  });
  afterAll(() => devnet.stop());

  it('loads from a value or a file and never shows the WIF', () => {
    const wif = devnet.treasury.activeKey;
    const fromValue = loadTreasuryKey({ account: devnet.treasury.name, key: wif });
    const file = join(mkdtempSync(join(tmpdir(), 'inkwell-key-')), 'treasury.wif');
    writeFileSync(file, `${wif}\n`);
    const fromFile = loadTreasuryKey({ account: devnet.treasury.name, keyFile: file });
    expect(fromFile.publicKey()).toBe(fromValue.publicKey());
    expect(JSON.stringify(fromValue)).not.toContain(wif);
    expect(inspect(fromValue)).not.toContain(wif);
    expect(() => loadTreasuryKey({ account: 'xyz', key: 'not-a-key' })).toThrow(TreasuryKeyError);
    expect(() => loadTreasuryKey({ account: 'xyz', key: wif.slice(0, -2) })).toThrow(/not a valid WIF/);
    expect(() => loadTreasuryKey({ account: 'xyz' })).toThrow(/no TREASURY_ACTIVE_KEY/);
    // steemd's account-name rule: a name the chain could never hold is refused before any key is read.
    for (const account of ['x', 'ab.cde', 'treasury-']) {
      expect(() => loadTreasuryKey({ account, key: wif })).toThrow(expect.objectContaining({ code: 'TREASURY_ACCOUNT_INVALID' }));
    }
  });

  it('confirms the key against the active authority', async () => {
    const key = loadTreasuryKey({ account: devnet.treasury.name, key: devnet.treasury.activeKey });
    await expect(checkTreasuryKey(client, devnet.treasury.name, key)).resolves.toMatchObject({ weight: 1, threshold: 1 });
    const other = PrivateKey.fromSeed('someone else');
    const error = await checkTreasuryKey(client, devnet.treasury.name, other).catch((e: Error) => e);
    expect((error as Error).message).toBe(`TREASURY_ACTIVE_KEY does not match the active authority of ${devnet.treasury.name}`);
    expect((error as Error).message).not.toContain(other.toString());
    await expect(checkTreasuryKey(client, 'nobody-here', key)).rejects.toMatchObject({ code: 'TREASURY_ACCOUNT_UNKNOWN' });
  });

  it('a key with too little weight in a multi-key authority is refused', async () => {
    const keyA = PrivateKey.fromSeed('a');
    const keyB = PrivateKey.fromSeed('b');
    const authority = { weight_threshold: 2, account_auths: [], key_auths: [[keyA.createPublic('STM').toString(), 1], [keyB.createPublic('STM').toString(), 1]] as [string, number][] };
    devnet.createAccount({ name: 'multisig', keys: { active: authority } });
    await expect(checkTreasuryKey(client, 'multisig', keyA)).rejects.toThrow(/below its threshold 2/);
  });
});
