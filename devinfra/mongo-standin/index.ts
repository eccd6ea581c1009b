import { StandinServer } from './server';

export interface RunningStandin {
  uri: string;
  port: number;
  server: StandinServer;
  stop(): Promise<void>;
}

/**
 * Starts the offline MongoDB stand-in: development and test infrastructure only, never a
 * production database (see README.md in this folder).
 */
export async function startMongoStandin(options: { host?: string; port?: number; ttlMonitorSleepMs?: number } = {}): Promise<RunningStandin> {
  const host = options.host ?? '127.0.0.1';
  const server = new StandinServer({ ttlMonitorSleepMs: options.ttlMonitorSleepMs });
  const port = await server.listen(options.port ?? 0, host);
  return { uri: `mongodb://${host}:${port}/`, port, server, stop: () => server.close() };
}

export { startMongoStandinProcess, type StandinProcess } from './process';
