/**
 * `npm run reconcile [-- --fix]`: compares the payout ledger (MONGODB_URI) with the treasury's
 * on-chain history (STEEM_NODES, TREASURY_ACCOUNT) and prints every difference. Exits 0 when there
 * are none left, 1 while any remain, 2 when it cannot run.
 */
import mongoose from 'mongoose';
import { createChainClient } from '../chain';
import { ConfigError, loadConfig } from '../server/config';
import { connectMongo } from '../server/mongo';
import { findDifferences, fixDifferences, formatDifference } from '../commands/payouts/reconciliation';

async function main(): Promise<number> {
  const config = loadConfig(process.env);
  if (!config.database.uri || config.chain.nodes.length === 0 || !config.chain.treasuryAccount) {
    process.stderr.write('reconcile needs MONGODB_URI, STEEM_NODES and TREASURY_ACCOUNT (the database and chain the worker uses)\n');
    return 2;
  }
  const fix = process.argv.includes('--fix');
  const chain = createChainClient({ nodes: config.chain.nodes, chainId: config.chain.chainId, addressPrefix: config.chain.addressPrefix, timeoutMs: config.chain.timeoutMs });
  const treasury = config.chain.treasuryAccount;
  await connectMongo(config.database.uri);
  try {
    let differences = await findDifferences(chain, treasury);
    for (const difference of differences) process.stdout.write(`${formatDifference(difference)}\n`);
    if (fix && differences.some((d) => d.fixable)) {
      const fixed = await fixDifferences(chain, treasury, differences);
      process.stdout.write(`fixed ${fixed} difference(s)\n`);
      differences = await findDifferences(chain, treasury);
    }
    process.stdout.write(`${differences.length} difference(s) between the ledger and ${treasury}'s history\n`);
    return differences.length === 0 ? 0 : 1;
  } finally {
    await mongoose.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `reconcile failed: ${error instanceof Error ? error.message : String(error)}`}\n`);
    process.exit(2);
  },
);
