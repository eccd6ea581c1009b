import { forkWithHandshake } from '../childProcess';

export interface StandinProcess {
  uri: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts the stand-in in a child process, so its data does not live in (or count against) the
 * memory of the process using it. The child exits with its parent (IPC disconnect).
 */
export async function startMongoStandinProcess(options: { port?: number; nodeOptions?: string[] } = {}): Promise<StandinProcess> {
  const child = await forkWithHandshake<{ uri: string }>(
    { bundle: 'standin', source: 'devinfra/mongo-standin/main.ts' },
    ['--port', String(options.port ?? 0)],
    // e.g. a larger heap (--max-old-space-size) for a benchmark that holds hundreds of thousands of articles
    options.nodeOptions,
  );
  return { uri: child.hello.uri, pid: child.pid, stop: child.stop };
}
