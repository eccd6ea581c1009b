import { fork, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';

export const ROOT = path.resolve(__dirname, '../..');

/**
 * Bundles the entry points as `npm run build` does (the server, the stand-in, the render thread) plus
 * the worker's entry, into a folder of their own under dist/, so the processes run this checkout's code
 * and start in a fraction of the time tsx takes on a loaded machine.
 */
export async function buildEntryPoints(): Promise<{ dir: string; remove(): void }> {
  const dir = path.join(ROOT, 'dist', `multiprocess-${process.pid}`);
  await build({
    entryPoints: {
      server: path.join(ROOT, 'server/main.ts'),
      worker: path.join(ROOT, 'workers/main.ts'),
      standin: path.join(ROOT, 'devinfra/mongo-standin/main.ts'),
      renderWorker: path.join(ROOT, 'commands/rendering/renderWorker.ts'),
    },
    bundle: true,
    platform: 'node',
    packages: 'external',
    target: 'node20',
    outdir: dir,
    logLevel: 'warning',
  });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface Child {
  process: ChildProcess;
  /** Every line the process wrote (stdout and stderr), for assertions and for failure messages. */
  lines: string[];
  /** Resolves with the first line matching, or rejects when the process exits or the time is up. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Starts a bundled entry point as a child process with an IPC channel (so it goes away with the test
 * run: the stand-in exits on disconnect, the others are stopped by the test) and collects its output.
 */
export function startChild(file: string, args: string[], env: Record<string, string>): Child {
  const child = fork(file, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer, buffer: { text: string }) => {
    buffer.text += chunk.toString('utf8');
    const parts = buffer.text.split('\n');
    buffer.text = parts.pop()!;
    lines.push(...parts.filter(Boolean));
    for (const wake of waiters) wake();
  };
  const out = { text: '' };
  const err = { text: '' };
  child.stdout!.on('data', (chunk: Buffer) => collect(chunk, out));
  child.stderr!.on('data', (chunk: Buffer) => collect(chunk, err));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  exited.then(() => {
    for (const wake of waiters) wake();
  });
  return {
    process: child,
    lines,
    exited,
    waitFor(pattern, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${lines.slice(-20).join('\n')}`))), timeoutMs);
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        const check = () => {
          const line = lines.find((l) => pattern.test(l));
          if (line) finish(() => resolve(line));
          else if (child.exitCode !== null || child.signalCode !== null) finish(() => reject(new Error(`exited (${child.exitCode ?? child.signalCode}) before a line matching ${pattern}:\n${lines.slice(-20).join('\n')}`)));
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A JSON-RPC call to a devnet over HTTP. */
export async function devnetRpc<T>(url: string, api: string, method: string, params: unknown): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'call', params: [api, method, params] }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${api}.${method}: ${body.error.message}`);
  return body.result as T;
}
