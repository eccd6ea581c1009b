import { MongoBinary, MongoMemoryServer } from 'mongodb-memory-server';

export interface RunningMemoryServer {
  uri: string;
  label: string;
  stop(): Promise<void>;
}

function memoryServerVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('mongodb-memory-server/package.json') as { version: string }).version;
}

/**
 * A real mongod from mongodb-memory-server, or an error within about `timeoutMs` (twice at most:
 * finding or downloading the binary, then starting it). Offline machines fail the download fast.
 */
export async function startMemoryServer(timeoutMs: number): Promise<RunningMemoryServer> {
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
      label: `mongodb-memory-server ${memoryServerVersion()}`,
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
