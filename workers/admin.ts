/**
 * `npm run admin -- grant <username> | revoke <username> | list | recount`: an operator grants or takes
 * away the admin role (which opens `/api/admin/*`) on the database MONGODB_URI names, lists who holds
 * it, or counts every tag's and author's articles again (docs/architecture.md, "Stored counts").
 * Exits 0 on success, 1 when the account does not exist, 2 on bad usage or when it cannot run.
 */
import mongoose from 'mongoose';
import { recountArticles } from '../commands/articles/articleCounts';
import { grantRole, revokeRole, usersWithRole } from '../commands/users/roles';
import { AppError } from '../lib/errors';
import { ConfigError, loadConfig } from '../server/config';
import { connectMongo } from '../server/mongo';

const USAGE = 'usage: npm run admin -- grant <username> | revoke <username> | list | recount   (MONGODB_URI names the database)\n';

async function main(argv: string[]): Promise<number> {
  const [action, username, ...rest] = argv;
  const needsName = action === 'grant' || action === 'revoke';
  if (!(needsName || action === 'list' || action === 'recount') || (needsName ? !username || rest.length > 0 : username !== undefined)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = loadConfig(process.env);
  if (!config.database.uri) {
    process.stderr.write('admin needs MONGODB_URI (the database the API uses)\n');
    return 2;
  }
  await connectMongo(config.database.uri);
  try {
    if (action === 'recount') {
      const { tags, authors } = await recountArticles();
      process.stdout.write(`counted the articles of ${tags} tag(s) and ${authors} author(s)\n`);
      return 0;
    }
    if (action === 'list') {
      const admins = await usersWithRole('admin');
      for (const admin of admins) process.stdout.write(`${admin.username}\t${admin.email}\n`);
      process.stdout.write(`${admins.length} account(s) with the admin role\n`);
      return 0;
    }
    const result = action === 'grant' ? await grantRole(username!, 'admin') : await revokeRole(username!, 'admin');
    const verb = action === 'grant' ? (result.changed ? 'granted the admin role to' : 'already had the admin role:') : result.changed ? 'took the admin role from' : 'did not have the admin role:';
    process.stdout.write(`${verb} ${result.username}\n`);
    return 0;
  } catch (error) {
    if (error instanceof AppError && error.kind === 'not_found') {
      process.stderr.write(`${error.message.replace(/^username /, '')}\n`);
      return 1;
    }
    throw error;
  } finally {
    await mongoose.disconnect();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `admin failed: ${error instanceof Error ? error.message : String(error)}`}\n`);
    process.exit(2);
  },
);
