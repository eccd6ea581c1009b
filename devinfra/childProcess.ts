import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The project's root: the nearest folder above this module with a package.json (this module may run from a compiled bundle in dist/). */
export function projectRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${__dirname}`);
  }
}

export interface ChildEntry {
  /** The bundle `npm run build` writes, e.g. `standin` for dist/standin.js. */
  bundle: string;
  /** The TypeScript entry, relative to the project root, run through tsx. */
  source: string;
}

/**
 * Run from the compiled bundle (`npm start`), the child compiled by the same build; run from
 * source (tests, tsx), its TypeScript entry, so it is never older than the code that started it.
 */
function resolveEntry(entry: ChildEntry): { file: string; execArgv: string[] } {
  const root = projectRoot();
  const compiled = path.join(root, 'dist', `${entry.bundle}.js`);
  if (__filename.startsWith(path.join(root, 'dist') + path.sep) && existsSync(compiled)) return { file: compiled, execArgv: [] };
  return { file: path.join(root, entry.source), execArgv: ['--import', 'tsx'] };
}

export interface HandshakeChild<T> {
  /** The JSON object the child printed as its first line of output. */
  hello: T;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Forks a development-infrastructure process that announces itself with one JSON line on stdout
 * and exits when its parent goes away (IPC disconnect) or on SIGTERM. Its stderr is the parent's.
 */
export async function forkWithHandshake<T>(entry: ChildEntry, args: string[], nodeOptions: string[] = []): Promise<HandshakeChild<T>> {
  const resolved = resolveEntry(entry);
  const child: ChildProcess = fork(resolved.file, args, {
    execArgv: [...resolved.execArgv, ...nodeOptions],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const hello = await new Promise<T>((resolve, reject) => {
    let output = '';
    const stdout = child.stdout!;
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const newline = output.indexOf('\n');
      if (newline < 0) return;
      // Only the first line matters; anything the child prints later is read and dropped.
      stdout.off('data', onData);
      stdout.resume();
      try {
        resolve(JSON.parse(output.slice(0, newline)) as T);
      } catch {
        child.kill('SIGTERM');
        reject(new Error(`${entry.bundle} announced itself with something other than a JSON line: ${output.slice(0, Math.min(newline, 200))}`));
      }
    };
    stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${entry.bundle} exited with code ${code} before it was ready`)));
    child.once('error', reject);
  });
  return {
    hello,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** For a child's main: run `stop` once, on SIGTERM, SIGINT or when the parent goes away, then exit. */
export function exitWithParent(stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    stop().finally(() => process.exit(0));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  process.on('disconnect', onSignal);
}
