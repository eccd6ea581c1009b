/**
 * `npm run seed`: loads the demo site (commands/seed/) into the empty development database MONGODB_URI
 * names. Without MONGODB_URI the embedded database lives only as long as `npm start`, so this points
 * to `npm start -- --seed` instead. Exits 0 when seeded, 1 when refused (production, or a database
 * that is not empty), 2 when it cannot run.
 */
import mongoose from 'mongoose';
import { closeRenderPool, configureRendering } from '../commands/rendering/renderPool';
import { seedDemo } from '../commands/seed/demoSeed';
import { buildRewardPolicy } from '../domain/rewards';
import { ConfigError, loadConfig } from '../server/config';
import { connectMongo } from '../server/mongo';

async function main(): Promise<number> {
  const config = loadConfig(process.env);
  if (config.env === 'production') {
    process.stderr.write('npm run seed: demo content is never loaded with NODE_ENV=production\n');
    return 1;
  }
  if (!config.database.uri) {
    process.stderr.write(
      'npm run seed loads the demo site into the database MONGODB_URI names.\n' +
        'Without MONGODB_URI, npm start embeds a database that lives only as long as it runs: start it with `npm start -- --seed` instead.\n',
    );
    return 2;
  }
  await connectMongo(config.database.uri);
  configureRendering(config.render);
  try {
    const policy = buildRewardPolicy({
      payoutWindowSeconds: config.rewards.payoutWindowSeconds,
      rewardFundPerDay: config.rewards.rewardFundPerDay,
      baseStakeVests: config.rewards.baseStakeVests,
    });
    const result = await seedDemo({ env: config.env, policy, now: new Date() });
    if (!result.seeded) {
      process.stderr.write(`demo content not loaded: ${result.reason}\n`);
      return 1;
    }
    process.stdout.write(`demo content loaded: ${result.users} users, ${result.articles} articles, ${result.comments} comments, ${result.votes} votes, ${result.follows} follows\n`);
    return 0;
  } finally {
    await closeRenderPool();
    await mongoose.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `seed failed: ${error instanceof Error ? error.message : String(error)}`}\n`);
    process.exit(2);
  },
);
