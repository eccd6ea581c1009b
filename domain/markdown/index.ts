import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { SANITIZE_OPTIONS } from './sanitizePolicy';
import { extractFrom } from './extract';
import { findLimitViolation, type LimitViolation } from './limits';

export { MARKDOWN_LIMITS, findLimitViolation, type LimitViolation, type MarkdownLimit } from './limits';

/**
 * Version of the rendering pipeline. Stored beside every rendered body; bump it whenever the
 * output for the same Markdown changes, and stored articles are rendered again when next read.
 */
export const RENDERER_VERSION = 'md-1';

export interface RenderedArticle {
  html: string;
  excerpt: string;
  readingTimeMinutes: number;
  images: string[];
}

const BARE_IMAGE_LINE = /^(https?:\/\/\S+\.(?:png|jpe?g|gif|webp|avif))$/gim;

// One configured instance: GFM (tables, strikethrough, autolinks), no global state mutated.
const markdown = new Marked({ gfm: true, breaks: false, async: false });

/** A body that breaks one of MARKDOWN_LIMITS; its message completes "body …". */
export class MarkdownLimitError extends Error {
  override name = 'MarkdownLimitError';
  constructor(readonly violation: LimitViolation) {
    super(violation.message);
  }
}

export type RenderOutcome = { ok: true; rendered: RenderedArticle } | { ok: false; violation: LimitViolation };

/**
 * Markdown → safe HTML, or the limit the source breaks (see MARKDOWN_LIMITS). Raw HTML inside
 * Markdown is not trusted: everything marked produces goes through the sanitizer's allowlist. A
 * line holding only an image URL becomes that image, as on Steem front ends.
 */
export function tryRenderMarkdown(source: string): RenderOutcome {
  const violation = findLimitViolation(source);
  if (violation) return { ok: false, violation };
  const withImages = source.replace(BARE_IMAGE_LINE, (url) => `![](${url})`);
  const unsafe = markdown.parse(withImages) as string;
  const html = sanitizeHtml(unsafe, SANITIZE_OPTIONS);
  return { ok: true, rendered: { html, ...extractFrom(html) } };
}

/** tryRenderMarkdown that throws MarkdownLimitError for a body over a limit. */
export function renderMarkdown(source: string): RenderedArticle {
  const outcome = tryRenderMarkdown(source);
  if (!outcome.ok) throw new MarkdownLimitError(outcome.violation);
  return outcome.rendered;
}
