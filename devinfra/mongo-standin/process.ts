import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface StandinProcess {
  uri: string;
  pid: number;
  stop(): Promise<void>;
}

/** The project's root: the nearest folder above this module with a package.json (this module may run from a compiled bundle in dist/). */
function projectRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${__dirname}`);
  }
}

/**
 * Run from the compiled bundle (`npm start`), the stand-in compiled by the same build; run from
 * source (tests, tsx), its TypeScript entry, so it is never older than the code that started it.
 */
function standinEntry(root: string): { file: string; execArgv: string[] } {
  const compiled = path.join(root, 'dist', 'standin.js');
  if (__filename.startsWith(path.join(root, 'dist') + path.sep) && existsSync(compiled)) return { file: compiled, execArgv: [] };
  return { file: path.join(root, 'devinfra', 'mongo-standin', 'main.ts'), execArgv: ['--import', 'tsx'] };
}

/**
 * Starts the stand-in in a child process, so its data does not live in (or count against) the
 * memory of the process using it. The child exits with its parent (IPC disconnect).
 */
export async function startMongoStandinProcess(options: { port?: number; nodeOptions?: string[] } = {}): Promise<StandinProcess> {
  const entry = standinEntry(projectRoot());
  const child = fork(entry.file, ['--port', String(options.port ?? 0)], {
    // e.g. a larger heap (--max-old-space-size) for a benchmark that holds hundreds of thousands of articles
    execArgv: [...entry.execArgv, ...(options.nodeOptions ?? [])],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const uri = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const line = output.split('\n')[0];
      if (output.includes('\n') && line) resolve((JSON.parse(line) as { uri: string }).uri);
    });
    child.once('exit', (code) => reject(new Error(`mongo stand-in exited with code ${code} before listening`)));
    child.once('error', reject);
  });
  return {
    uri,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
