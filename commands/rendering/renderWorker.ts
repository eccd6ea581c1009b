import { parentPort } from 'node:worker_threads';
import { tryRenderMarkdown, type RenderOutcome } from '../../domain/markdown';

export interface RenderTask {
  id: number;
  source: string;
}

/** Piscina task: tells the pool the render started (its time budget runs from here), then renders. */
export default function render(task: RenderTask): RenderOutcome {
  parentPort?.postMessage({ renderStarted: task.id });
  try {
    return tryRenderMarkdown(task.source);
  } catch (error) {
    // The limits are meant to make this unreachable; should an input still overflow marked's stack,
    // it is refused like one over the depth limit rather than answered with a 500.
    if (error instanceof RangeError) return { ok: false, violation: { limit: 'depth', message: 'nests too deeply to render (markdown depth limit)', line: 0 } };
    throw error;
  }
}
