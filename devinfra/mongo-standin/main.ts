import { exitWithParent } from '../childProcess';
import { startMongoStandin } from './index';

/**
 * Runs the stand-in as its own process (like a local mongod): prints one JSON line with its URI,
 * and exits when its parent goes away or on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  const portArgument = process.argv.indexOf('--port');
  const port = portArgument > 0 ? Number(process.argv[portArgument + 1]) : 0;
  const standin = await startMongoStandin({ host: '127.0.0.1', port });
  process.stdout.write(`${JSON.stringify({ uri: standin.uri, port: standin.port, pid: process.pid })}\n`);
  exitWithParent(() => standin.stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`mongo stand-in failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
