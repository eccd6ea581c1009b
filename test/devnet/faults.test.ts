import { startDevnet, type Devnet } from '../../devinfra/steem-devnet';

/** A JSON-RPC call over HTTP; resolves to the answer, or to 'no answer' when the node drops the connection. */
async function rpc(url: string, api: string, method: string, params: unknown): Promise<{ result?: unknown; error?: { code: number } } | 'no answer'> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'call', params: [api, method, params] }),
    });
    return (await response.json()) as { result?: unknown };
  } catch {
    return 'no answer';
  }
}

const headBlock = (url: string) => rpc(url, 'condenser_api', 'get_dynamic_global_properties', []);

describe('devnet faults set over devnet_api', () => {
  let devnet: Devnet;
  beforeEach(async () => {
    devnet = await startDevnet({ blockIntervalMs: 0 });
  });
  afterEach(() => devnet.stop());

  it('`down` drops every node request, and set_faults over RPC can clear it again', async () => {
    expect(await rpc(devnet.url, 'devnet_api', 'set_faults', { down: true })).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
    expect(await headBlock(devnet.url)).toBe('no answer');
    expect(await rpc(devnet.url, 'devnet_api', 'fund', { name: 'inkwell-treasury', amount: '1.000 STEEM' })).not.toBe('no answer');

    expect(await rpc(devnet.url, 'devnet_api', 'set_faults', { down: false })).toMatchObject({ result: {} });
    expect(await headBlock(devnet.url)).toMatchObject({ result: { head_block_number: expect.any(Number) } });
  });

  it('injected errors apply to the node, not to devnet_api.<method> calls that clear them', async () => {
    devnet.setFaults({ errorRate: 1 });
    expect(await headBlock(devnet.url)).toEqual({ error: 'devnet: transient failure (injected)' });
    const cleared = await fetch(devnet.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'devnet_api.set_faults', params: [{ errorRate: 0 }] }),
    });
    expect(await cleared.json()).toEqual({ jsonrpc: '2.0', id: 2, result: {} });
    expect(await headBlock(devnet.url)).toMatchObject({ result: { head_block_number: expect.any(Number) } });
  });
});
