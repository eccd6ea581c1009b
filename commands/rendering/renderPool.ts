import { existsSync } from 'node:fs';
import path from 'node:path';
import { Piscina } from 'piscina';
import { findLimitViolation, tryRenderMarkdown, type RenderedArticle, type RenderOutcome } from '../../domain/markdown';
import { unavailable, validationFailed } from '../../lib/errors';
import type { RenderTask } from './renderWorker';

export interface RenderSettings {
  /** Wall-clock budget of one render, counted from when a thread starts it. */
  timeoutMs: number;
  threads: number;
  /** Renders that may wait for a busy thread; one more is refused with 503. */
  maxQueue: number;
  /** An idle thread exits after this long. */
  idleTimeoutMs: number;
  /**
   * Bodies up to this many characters render on the calling thread: within the Markdown limits
   * their worst case is a few milliseconds, and most comments and articles then never start a
   * thread (one costs the API process 15-40 MB).
   */
  inlineMaxChars: number;
}

export const DEFAULT_RENDER_SETTINGS: RenderSettings = { timeoutMs: 2000, threads: 1, maxQueue: 16, idleTimeoutMs: 10_000, inlineMaxChars: 2048 };

export const RENDER_TIMEOUT_MESSAGE = 'took too long to render';
export const RENDER_MEMORY_MESSAGE = 'needs too much memory to render';
export const RENDER_BUSY_MESSAGE = 'cannot be rendered now: the renderer is busy, try again shortly';

/**
 * `npm start` runs the esbuild bundle, which holds the worker as dist/renderWorker.js beside
 * dist/server.js; tsx and jest run the TypeScript source, and a worker thread gets neither's
 * transform, so it loads tsx itself.
 */
function workerFile(): { filename: string; execArgv?: string[] } {
  const bundled = path.join(__dirname, 'renderWorker.js');
  if (existsSync(bundled)) return { filename: bundled };
  return { filename: path.join(__dirname, 'renderWorker.ts'), execArgv: ['--import', 'tsx'] };
}

let settings = DEFAULT_RENDER_SETTINGS;
let pool: Piscina<RenderTask, RenderOutcome> | undefined;
let nextTaskId = 0;
let inFlight = 0;
let startedOnPool = 0;
const onStart = new Map<number, () => void>();

/** Applies settings from the Config; takes effect for the next pool (call before the first render). */
export function configureRendering(next: Partial<RenderSettings>): void {
  settings = { ...settings, ...next };
}

function renderPool(): Piscina<RenderTask, RenderOutcome> {
  if (pool) return pool;
  pool = new Piscina<RenderTask, RenderOutcome>({
    ...workerFile(),
    minThreads: 0,
    maxThreads: settings.threads,
    idleTimeout: settings.idleTimeoutMs,
    concurrentTasksPerWorker: 1,
    // The thread lives in the API process, whose whole footprint is kept small (see npm start's flags).
    resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 },
  });
  pool.on('message', (message: { renderStarted?: number }) => {
    if (typeof message?.renderStarted === 'number') onStart.get(message.renderStarted)?.();
  });
  return pool;
}

/**
 * Renders Markdown off the event loop, on the worker-thread pool (short bodies: see inlineMaxChars).
 * A body over a MARKDOWN_LIMIT is refused (422) without queueing; a render over the time budget is
 * cancelled by terminating its thread (422); a full queue is refused (503).
 */
export async function renderOffThread(source: string): Promise<RenderedArticle> {
  const violation = findLimitViolation(source);
  if (violation) throw validationFailed(violation.message, 'body');
  const outcome = source.length <= settings.inlineMaxChars ? tryRenderMarkdown(source) : await renderOnPool(source);
  if (!outcome.ok) throw validationFailed(outcome.violation.message, 'body');
  return outcome.rendered;
}

async function renderOnPool(source: string): Promise<RenderOutcome> {
  const current = renderPool();
  if (inFlight >= settings.threads + settings.maxQueue) throw unavailable(RENDER_BUSY_MESSAGE, 'body');
  inFlight += 1;

  const id = (nextTaskId += 1);
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  onStart.set(id, () => {
    startedOnPool += 1;
    timer = setTimeout(() => abort.abort(), settings.timeoutMs);
  });
  try {
    return await current.run({ id, source }, { signal: abort.signal });
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError' && abort.signal.aborted) throw validationFailed(RENDER_TIMEOUT_MESSAGE, 'body');
    if ((error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') throw validationFailed(RENDER_MEMORY_MESSAGE, 'body');
    throw error;
  } finally {
    inFlight -= 1;
    onStart.delete(id);
    clearTimeout(timer);
  }
}

/** How many renders a pool thread has started in this process (for tests and diagnostics). */
export function rendersStartedOnPool(): number {
  return startedOnPool;
}

/** Ends the pool's threads (process shutdown, end of a test); the next render starts a new pool. */
export async function closeRenderPool(): Promise<void> {
  const closing = pool;
  pool = undefined;
  await closing?.destroy();
}
