import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface PlatformProcess {
  url: string;
  pid: number;
  /** Peak resident set size of the process so far, in MiB (VmHWM). */
  peakRssMiB(): number;
  /** Peak resident set size of its child processes (the offline database stand-in), in MiB. */
  childrenPeakRssMiB(): number;
  rssMiB(): number;
  /** CPU seconds used so far (user + system) by the process and by its children (the database stand-in). */
  cpuSeconds(): { platform: number; database: number };
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const CLOCK_TICKS_PER_SECOND = 100;

function cpuSecondsOf(pid: number): number {
  // /proc/<pid>/stat: utime and stime are fields 14 and 15, counted after the parenthesised name.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

function childPids(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
}

function statusField(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) / 1024 : NaN;
}

/**
 * The environment assignments and node arguments of `npm start` (package.json), and its `prestart`
 * step (the build), so the bench measures exactly that process.
 */
function startCommand(root: string): { prestart?: string; env: Record<string, string>; args: string[] } {
  const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const words = scripts.start!.split(/\s+/);
  const env: Record<string, string> = {};
  while (words[0] && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
    const [name, ...value] = words.shift()!.split('=');
    env[name!] = value.join('=');
  }
  const [command, ...args] = words;
  if (command !== 'node') throw new Error(`npm start runs ${command}, expected node`);
  return { prestart: scripts.prestart, env, args };
}

/**
 * Starts the platform exactly as `npm start` does, as a child process, and waits for it to listen.
 * Rate limits are off (RATE_LIMIT=off): a benchmark sends thousands of requests from one address.
 */
export async function startPlatformProcess(env: Record<string, string> = {}): Promise<PlatformProcess> {
  const port = await freePort();
  const root = path.resolve(__dirname, '..');
  const start = startCommand(root);
  if (start.prestart) execSync(start.prestart, { cwd: root, stdio: 'inherit' });
  // BENCH_NODE_ARGS: extra node flags for the platform process, e.g. `--cpu-prof --cpu-prof-dir=prof` to profile a run.
  // They go after `npm start`'s own flags (the last of a repeated V8 flag wins), before the script.
  const extraArgs = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const script = start.args.findIndex((arg) => !arg.startsWith('-'));
  if (script < 0) throw new Error('npm start names no script to run');
  const args = [...start.args.slice(0, script), ...extraArgs, ...start.args.slice(script)];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: root,
    // The vote benchmarks' voters are fresh accounts: they need the base stake the default (0) withholds.
    env: { ...process.env, ...start.env, PORT: String(port), LOG_LEVEL: 'warn', DEVNET_PORT: '0', BASE_STAKE_VESTS: '1000000.000000', RATE_LIMIT: 'off', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`platform exited with ${child.exitCode} before listening`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('platform did not answer /healthz within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    pid: child.pid!,
    peakRssMiB: () => statusField(child.pid!, 'VmHWM'),
    childrenPeakRssMiB: () => childPids(child.pid!).reduce((sum, pid) => sum + statusField(pid, 'VmHWM'), 0),
    cpuSeconds: () => ({ platform: cpuSecondsOf(child.pid!), database: childPids(child.pid!).reduce((sum, pid) => sum + cpuSecondsOf(pid), 0) }),
    rssMiB: () => statusField(child.pid!, 'VmRSS'),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
