import { parentPort } from 'node:worker_threads';
import { tryRenderMarkdown, type RenderOutcome } from '../../domain/markdown';

export interface RenderTask {
  id: number;
  source: string;
}

/** Piscina task: tells the pool the render started (its time budget runs from here), then renders. */
export default function render(task: RenderTask): RenderOutcome {
  parentPort?.postMessage({ renderStarted: task.id });
  return tryRenderMarkdown(task.source);
}
