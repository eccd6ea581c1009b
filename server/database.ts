import type { Logger } from 'pino';
import { startMongoStandinProcess } from '../devinfra/mongo-standin/process';

/** Which MongoDB the process ended up talking to. The application never branches on it; it is logged. */
export type DatabaseBackend = 'MONGODB_URI' | 'mongodb-memory-server' | 'offline stand-in';

export interface ResolvedDatabase {
  uri: string;
  backend: DatabaseBackend;
  /** Human-readable label for logs, e.g. "mongodb-memory-server 11.3.0 (mongod 8.0.4)". */
  label: string;
  stop(): Promise<void>;
}

export interface DatabaseResolutionOptions {
  mongodbUri?: string;
  /** `standin` forces the offline stand-in; `auto` tries a real mongod first. */
  mode: 'auto' | 'standin' | 'memory-server';
  /** How long to wait for mongodb-memory-server to produce a mongod before falling back. */
  memoryServerTimeoutMs: number;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

/**
 * Resolution order (issue #2): MONGODB_URI, else a real mongod from mongodb-memory-server, else the
 * project's offline wire-protocol stand-in. Offline machines fail the mongod download quickly
 * (ENOTFOUND); a hard timeout keeps a slow network from hanging start-up.
 */
export async function resolveDatabase(options: DatabaseResolutionOptions): Promise<ResolvedDatabase> {
  if (options.mongodbUri) {
    return { uri: options.mongodbUri, backend: 'MONGODB_URI', label: 'MONGODB_URI', stop: async () => {} };
  }
  if (options.mode !== 'standin') {
    try {
      return await startMemoryServer(options.memoryServerTimeoutMs);
    } catch (error) {
      if (options.mode === 'memory-server') throw error;
      options.logger?.warn({ reason: describe(error) }, 'mongodb-memory-server unavailable, falling back to the offline stand-in');
    }
  }
  return startStandin();
}

// Required on first use rather than imported: the package takes about 15 MiB of memory, which a
// process given MONGODB_URI should not pay. (`import()` would go through the ES module loader.)
/* eslint-disable @typescript-eslint/no-require-imports */
const loadMemoryServer = () => require('mongodb-memory-server') as typeof import('mongodb-memory-server');
const loadMemoryServerManifest = () => require('mongodb-memory-server/package.json') as { version: string };
/* eslint-enable @typescript-eslint/no-require-imports */

async function startMemoryServer(timeoutMs: number): Promise<ResolvedDatabase> {
  const { MongoBinary, MongoMemoryServer } = loadMemoryServer();
  const { version } = loadMemoryServerManifest();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no mongod within ${timeoutMs} ms`)), timeoutMs);
  });
  // Find (or download) the binary first: that step fails quietly offline, whereas a failed
  // MongoMemoryServer.create() prints its own stack trace to the console.
  const binary = await Promise.race([MongoBinary.getPath(), timeout]).finally(() => clearTimeout(timer));
  const creating = MongoMemoryServer.create({ instance: { ip: '127.0.0.1' }, binary: { systemBinary: binary } });
  const startTimeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`mongod did not start within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const server = await Promise.race([creating, startTimeout]);
    return {
      uri: server.getUri(),
      backend: 'mongodb-memory-server',
      label: `mongodb-memory-server ${version}`,
      stop: async () => {
        await server.stop();
      },
    };
  } catch (error) {
    // A late success must not leak a mongod process.
    creating.then((server) => server.stop()).catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function startStandin(): Promise<ResolvedDatabase> {
  const standin = await startMongoStandinProcess();
  return { uri: standin.uri, backend: 'offline stand-in', label: `offline stand-in (pid ${standin.pid})`, stop: () => standin.stop() };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
