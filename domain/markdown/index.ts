import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { SANITIZE_OPTIONS } from './sanitizePolicy';
import { excerptOf, imageUrlsIn, readingTimeMinutes } from './extract';

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

/**
 * Markdown → safe HTML. Raw HTML inside Markdown is not trusted: everything marked produces goes
 * through the sanitizer's allowlist. A line holding only an image URL becomes that image, as on
 * Steem front ends.
 */
export function renderMarkdown(source: string): RenderedArticle {
  const withImages = source.replace(BARE_IMAGE_LINE, (url) => `![](${url})`);
  const unsafe = markdown.parse(withImages) as string;
  const html = sanitizeHtml(unsafe, SANITIZE_OPTIONS);
  return { html, excerpt: excerptOf(html), readingTimeMinutes: readingTimeMinutes(html), images: imageUrlsIn(html) };
}
