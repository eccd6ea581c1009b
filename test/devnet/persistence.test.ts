import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChainClient } from '../../chain';
import { startDevnet } from '../../devinfra/steem-devnet';

describe('devnet persistence', () => {
  it('restarts from its state file with the chain, balances and treasury key intact', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'inkwell-devnet-')), 'chain.json');
    const first = await startDevnet({ blockIntervalMs: 0, stateFile });
    const clientFor = (url: string, chainId: string) => createChainClient({ nodes: [url], chainId, addressPrefix: 'STM', timeoutMs: 1000 });
    let client = clientFor(first.url, first.chainId);
    first.createAccount({ name: 'dave' });
    const signed = await client.buildAndSignTransaction([['transfer', { from: first.treasury.name, to: 'dave', amount: '3.141 STEEM', memo: 'pi' }]], [first.treasury.activeKey]);
    await client.broadcastTransaction(signed.transaction);
    first.produceBlocks(5);
    const head = first.headBlockNumber();
    const treasury = first.treasury;
    await first.stop();

    const second = await startDevnet({ blockIntervalMs: 0, stateFile });
    try {
      client = clientFor(second.url, second.chainId);
      expect(second.chainId).toBe(first.chainId);
      expect(second.treasury).toEqual(treasury);
      expect(second.headBlockNumber()).toBe(head);
      expect((await client.getAccount('dave'))!.balance).toBe(3141n);
      expect(await client.findTransaction(signed.id)).toMatchObject({ id: signed.id });
      expect((await client.getAccountHistory('dave', -1, 10)).map((e) => e.trxId)).toEqual([signed.id]);
      // TaPoS against a restored block works, and the restored dupe index still knows the first tx.
      const next = await client.buildAndSignTransaction([['transfer', { from: treasury.name, to: 'dave', amount: '0.001 STEEM', memo: '' }]], [treasury.activeKey]);
      await expect(client.broadcastTransaction(next.transaction)).resolves.toMatchObject({ blockNum: head + 1 });
      await expect(client.broadcastTransaction(signed.transaction)).rejects.toMatchObject({ code: 'DUPLICATE_TRANSACTION' });
    } finally {
      await second.stop();
    }
  });

  it('refuses a state file from another chain id', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'inkwell-devnet-')), 'chain.json');
    const devnet = await startDevnet({ blockIntervalMs: 0, stateFile });
    await devnet.stop();
    await expect(startDevnet({ blockIntervalMs: 0, stateFile, chainId: '11'.repeat(32) })).rejects.toThrow(/belongs to chain/);
  });

  it('produces blocks on its own interval and seals pending transactions on stop', async () => {
    const devnet = await startDevnet({ blockIntervalMs: 50 });
    const client = createChainClient({ nodes: [devnet.url], chainId: devnet.chainId, addressPrefix: 'STM', timeoutMs: 1000 });
    const signed = await client.buildAndSignTransaction([['transfer', { from: devnet.treasury.name, to: 'initminer', amount: '0.001 STEEM', memo: '' }]], [devnet.treasury.activeKey]);
    // broadcast_transaction_synchronous resolves once the next scheduled block includes it.
    const result = await client.broadcastTransaction(signed.transaction);
    expect(result.blockNum).toBeGreaterThan(1);
    await devnet.stop();
  });
});
