import { forkWithHandshake } from '../childProcess';

export type LocalDatabaseMode = 'auto' | 'standin' | 'memory-server';

/** What the local database process announces once it serves. */
export interface LocalDatabaseHello {
  uri: string;
  backend: 'mongodb-memory-server' | 'offline stand-in';
  /** Human-readable, e.g. "mongodb-memory-server 11.0.1". */
  label: string;
  /** Why mongodb-memory-server was not used, when mode `auto` fell back to the stand-in. */
  fallbackReason?: string;
}

export interface LocalDatabase extends LocalDatabaseHello {
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts the local development/test database (main.ts) as a child process and waits until it
 * serves. It exits with its parent; `stop` ends it (and the mongod it may have started).
 */
export async function startLocalDatabase(options: { mode: LocalDatabaseMode; memoryServerTimeoutMs: number }): Promise<LocalDatabase> {
  const child = await forkWithHandshake<LocalDatabaseHello>({ bundle: 'localDatabase', source: 'devinfra/local-database/main.ts' }, [
    '--mode',
    options.mode,
    '--timeout-ms',
    String(options.memoryServerTimeoutMs),
  ]);
  return { ...child.hello, pid: child.pid, stop: child.stop };
}
