import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isLoopbackHost, startDevnet } from './index';

/** `npm run devnet`: a local Steem node for development. Configuration comes from the environment. */
async function main(): Promise<void> {
  const dataDir = resolve(process.env.DEVNET_DATA_DIR ?? '.data');
  const host = process.env.DEVNET_HOST ?? '127.0.0.1';
  const devnet = await startDevnet({
    port: Number(process.env.DEVNET_PORT ?? 8091),
    host,
    // devnet_api only for this machine, and never in a production environment.
    controlApi: isLoopbackHost(host) && process.env.NODE_ENV !== 'production',
    stateFile: process.env.DEVNET_STATE_FILE || undefined,
    blockIntervalMs: process.env.DEVNET_BLOCK_INTERVAL_MS === undefined ? 3000 : Number(process.env.DEVNET_BLOCK_INTERVAL_MS),
  });
  // The devnet treasury key goes to a gitignored file rather than the terminal.
  mkdirSync(dataDir, { recursive: true });
  const keyFile = join(dataDir, 'devnet-treasury.wif');
  writeFileSync(keyFile, `${devnet.treasury.activeKey}\n`, { mode: 0o600 });
  console.log(`Steem devnet listening on ${devnet.url}`);
  console.log(`  chain id:       ${devnet.chainId}`);
  console.log(`  treasury:       ${devnet.treasury.name}`);
  console.log(`  devnet_api:     ${devnet.controlApi ? 'on (loopback only)' : 'off'}`);
  console.log(`  treasury key:   ${keyFile} (TREASURY_ACTIVE_KEY_FILE)`);
  console.log(`  state file:     ${process.env.DEVNET_STATE_FILE || '(none: the chain is lost on exit)'}`);
  const shutdown = () => {
    devnet.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
