import { startDevnet, type Devnet } from '../../devinfra/steem-devnet';
import { startChain } from '../../server/chainRuntime';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../lib/logger';

/** A JSON-RPC call as anyone who can reach the node would make it. */
async function rpc(url: string, api: string, method: string, params: unknown) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'call', params: [api, method, params] }),
  });
  return (await response.json()) as { result?: unknown; error?: { code: number; message: string } };
}

const fundTreasury = (url: string) => rpc(url, 'devnet_api', 'fund', { name: 'inkwell-treasury', amount: '1000.000 STEEM' });
const headBlock = async (url: string) => (await rpc(url, 'condenser_api', 'get_dynamic_global_properties', [])).result as { head_block_number: number };

describe("the devnet's devnet_api (accounts and STEEM from nothing, fault injection)", () => {
  let devnet: Devnet | undefined;
  afterEach(async () => {
    await devnet?.stop();
    devnet = undefined;
  });

  it('is served by a development devnet bound to loopback', async () => {
    devnet = await startDevnet({ blockIntervalMs: 0 });
    expect(devnet.controlApi).toBe(true);
    expect((await fundTreasury(devnet.url)).error).toBeUndefined();
  });

  it('is an unknown API on a devnet bound to any other interface', async () => {
    devnet = await startDevnet({ blockIntervalMs: 0, host: '0.0.0.0' });
    expect(devnet.controlApi).toBe(false);
    const url = `http://127.0.0.1:${devnet.port}`;
    const answer = await fundTreasury(url);
    expect(answer.error).toMatchObject({ code: -32601, message: expect.stringContaining('Could not find API devnet_api') });
    expect((await rpc(url, 'devnet_api', 'set_faults', { down: true })).error?.code).toBe(-32601);
    // The node itself keeps answering condenser_api.
    expect((await headBlock(url)).head_block_number).toBeGreaterThan(0);
  });

  it('cannot be asked for on a non-loopback interface', async () => {
    await expect(startDevnet({ blockIntervalMs: 0, host: '0.0.0.0', controlApi: true })).rejects.toThrow(/only served on a loopback address/);
  });

  it.each([
    ['development', true],
    ['test', true],
    ['production', false],
  ] as const)('the devnet the platform embeds (no STEEM_NODES) with NODE_ENV=%s serves it: %s', async (env, served) => {
    const config = loadConfig({ NODE_ENV: env, JWT_SECRET: 'x'.repeat(40), DEVNET_PORT: '0' });
    const chain = await startChain(config, createLogger('silent'));
    try {
      expect(chain.devnetUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const answer = await fundTreasury(chain.devnetUrl!);
      if (served) expect(answer.error).toBeUndefined();
      else expect(answer.error).toMatchObject({ code: -32601 });
      expect((await headBlock(chain.devnetUrl!)).head_block_number).toBeGreaterThan(0);
    } finally {
      await chain.stop();
    }
  });
});
