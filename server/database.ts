import type { Logger } from 'pino';
import { startLocalDatabase } from '../devinfra/local-database/process';

/** Which MongoDB the process ended up talking to. The application never branches on it; it is logged. */
export type DatabaseBackend = 'MONGODB_URI' | 'mongodb-memory-server' | 'offline stand-in';

export interface ResolvedDatabase {
  uri: string;
  backend: DatabaseBackend;
  /** Human-readable label for logs, e.g. "mongodb-memory-server 11.3.0". */
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
 * project's offline wire-protocol stand-in. Without MONGODB_URI the last two are tried by a local
 * database process of their own (devinfra/local-database), so neither library is loaded here.
 */
export async function resolveDatabase(options: DatabaseResolutionOptions): Promise<ResolvedDatabase> {
  if (options.mongodbUri) {
    return { uri: options.mongodbUri, backend: 'MONGODB_URI', label: 'MONGODB_URI', stop: async () => {} };
  }
  const local = await startLocalDatabase({ mode: options.mode, memoryServerTimeoutMs: options.memoryServerTimeoutMs });
  if (local.fallbackReason) options.logger?.warn({ reason: local.fallbackReason }, 'mongodb-memory-server unavailable, falling back to the offline stand-in');
  return { uri: local.uri, backend: local.backend, label: local.label, stop: local.stop };
}
