import { exitWithParent } from '../childProcess';
import { startMongoStandin } from '../mongo-standin';
import { startMemoryServer } from './memoryServer';
import type { LocalDatabaseHello, LocalDatabaseMode } from './process';

/**
 * The local database `npm start` and `npm test` use when no MONGODB_URI is given, as a process of
 * its own: a real mongod from mongodb-memory-server (mode `auto` or `memory-server`), else the
 * offline stand-in served from this process (mode `auto` or `standin`). Prints one JSON line
 * (LocalDatabaseHello), then runs until its parent goes away or it gets SIGTERM/SIGINT.
 *
 * Trying mongodb-memory-server here, not in the API process, keeps that library and its
 * dependencies (about 4 MiB once loaded) out of the API's memory; see docs/architecture.md.
 */
async function main(): Promise<void> {
  const mode = argument('--mode') as LocalDatabaseMode;
  const timeoutMs = Number(argument('--timeout-ms'));
  let fallbackReason: string | undefined;
  if (mode !== 'standin') {
    try {
      const memoryServer = await startMemoryServer(timeoutMs);
      announce({ uri: memoryServer.uri, backend: 'mongodb-memory-server', label: memoryServer.label });
      exitWithParent(() => memoryServer.stop());
      return;
    } catch (error) {
      if (mode === 'memory-server') throw error;
      fallbackReason = error instanceof Error ? error.message : String(error);
    }
  }
  const standin = await startMongoStandin({ host: '127.0.0.1', port: 0 });
  announce({ uri: standin.uri, backend: 'offline stand-in', label: `offline stand-in (pid ${process.pid})`, fallbackReason });
  exitWithParent(() => standin.stop());
}

function argument(name: string): string {
  const index = process.argv.indexOf(name);
  if (index < 0 || index + 1 >= process.argv.length) throw new Error(`missing ${name}`);
  return process.argv[index + 1]!;
}

function announce(hello: LocalDatabaseHello): void {
  process.stdout.write(`${JSON.stringify(hello)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`local database failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
