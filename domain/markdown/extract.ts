import { parseDocument, DomUtils } from 'htmlparser2';
import type { Document } from 'domhandler';

const EXCERPT_LENGTH = 200;
const WORDS_PER_MINUTE = 200;

function plainText(document: Document): string {
  return DomUtils.textContent(document).replace(/\s+/g, ' ').trim();
}

/** Excerpt, reading time and images from one parse of the sanitized HTML. */
export function extractFrom(html: string): { excerpt: string; readingTimeMinutes: number; images: string[] } {
  const document = parseDocument(html);
  const text = plainText(document);
  return { excerpt: excerptOfText(text), readingTimeMinutes: readingTimeOfText(text), images: imageUrlsInDocument(document) };
}

/** The first ~200 characters of the rendered text, cut at a word boundary. */
export function excerptOf(html: string): string {
  return excerptOfText(plainText(parseDocument(html)));
}

/** Minutes at 200 words a minute, rounded up; at least 1 for any text. */
export function readingTimeMinutes(html: string): number {
  return readingTimeOfText(plainText(parseDocument(html)));
}

/** The image URLs that survived sanitising, in order, without repeats. */
export function imageUrlsIn(html: string): string[] {
  return imageUrlsInDocument(parseDocument(html));
}

function excerptOfText(text: string): string {
  if (text.length <= EXCERPT_LENGTH) return text;
  const cut = text.slice(0, EXCERPT_LENGTH);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > EXCERPT_LENGTH / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s.,;:!?-]+$/, '')}…`;
}

function readingTimeOfText(text: string): number {
  const words = text.split(' ').filter(Boolean).length;
  return words === 0 ? 0 : Math.max(1, Math.ceil(words / WORDS_PER_MINUTE));
}

function imageUrlsInDocument(document: Document): string[] {
  const images = DomUtils.getElementsByTagName('img', document);
  return [...new Set(images.map((img) => img.attribs.src).filter((src): src is string => Boolean(src)))];
}
