import { parseDocument, DomUtils } from 'htmlparser2';

const EXCERPT_LENGTH = 200;
const WORDS_PER_MINUTE = 200;

function plainText(html: string): string {
  return DomUtils.textContent(parseDocument(html)).replace(/\s+/g, ' ').trim();
}

/** The first ~200 characters of the rendered text, cut at a word boundary. */
export function excerptOf(html: string): string {
  const text = plainText(html);
  if (text.length <= EXCERPT_LENGTH) return text;
  const cut = text.slice(0, EXCERPT_LENGTH);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > EXCERPT_LENGTH / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s.,;:!?-]+$/, '')}…`;
}

/** Minutes at 200 words a minute, rounded up; at least 1 for any text. */
export function readingTimeMinutes(html: string): number {
  const words = plainText(html).split(' ').filter(Boolean).length;
  return words === 0 ? 0 : Math.max(1, Math.ceil(words / WORDS_PER_MINUTE));
}

/** The image URLs that survived sanitising, in order, without repeats. */
export function imageUrlsIn(html: string): string[] {
  const images = DomUtils.getElementsByTagName('img', parseDocument(html));
  return [...new Set(images.map((img) => img.attribs.src).filter((src): src is string => Boolean(src)))];
}
