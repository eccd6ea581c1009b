import { readFileSync } from 'node:fs';
import { parseDocument, DomUtils } from 'htmlparser2';
import type { Element } from 'domhandler';
import { renderMarkdown, RENDERER_VERSION } from '../../domain/markdown';
import { sharedPath, skipWithoutShared } from '../support/shared';

const elements = (html: string, name: string): Element[] => DomUtils.getElementsByTagName(name, parseDocument(html));
const text = (element: Element) => DomUtils.textContent(element).trim();

/** A news post as an author writes it: title, image, paragraphs with quotes, a section, a call to upvote. */
function newsPostMarkdown(title: string, image: string, paragraphs: string[], section: string, closing: string[]): string {
  const [lead, ...rest] = paragraphs;
  return [`# ${title}`, '', `![${title}](${image})`, '', lead, '', ...rest.flatMap((p) => [p.startsWith('"') ? `> ${p}` : p, '']), `- ${section}`, '', ...closing.flatMap((line) => [line, ''])].join('\n');
}

function assertNewsStructure(html: string, expected: { title: string; image: string; section: string; closing: string }) {
  expect(elements(html, 'h1').map(text)).toEqual([expected.title]);
  expect(elements(html, 'img').map((img) => img.attribs.src)).toEqual([expected.image]);
  expect(elements(html, 'p').length).toBeGreaterThanOrEqual(4);
  expect(elements(html, 'blockquote').length).toBeGreaterThanOrEqual(1);
  expect(elements(html, 'li').map(text)).toEqual([expected.section]);
  expect(elements(html, 'p').map(text)).toContain(expected.closing);
}

describe('rendering a news post', () => {
  it('keeps the structure of an in-repo news fixture', () => {
    const markdown = newsPostMarkdown(
      'City library opens a night reading room',
      'https://img.example.com/library.jpg',
      [
        'The central library will keep one reading room open until midnight from next month, the city council said on Tuesday.',
        '"Students asked for it for years, and now we can afford the staff," the head librarian said.',
        'The room seats forty people and offers free wifi.',
      ],
      'Funding questions -',
      ['Authors get paid when people like you upvote their post.', 'If you enjoyed this, follow me for more local news!'],
    );
    assertNewsStructure(renderMarkdown(markdown).html, {
      title: 'City library opens a night reading room',
      image: 'https://img.example.com/library.jpg',
      section: 'Funding questions -',
      closing: 'Authors get paid when people like you upvote their post.',
    });
  });

  const samplePath = sharedPath('sample-article.txt');
  if (!samplePath) {
    skipWithoutShared('renders the shared sample article', 'sample-article.txt');
  } else {
    it('renders the shared sample article (../shared/sample-article.txt) with its structure', () => {
      const lines = readFileSync(samplePath, 'utf8').split('\n').map((line) => line.trim()).filter(Boolean);
      const title = lines[0]!;
      const bullet = lines.find((line) => line.startsWith('•'))!.replace(/^•\s*/, '');
      const bodyLines = lines.filter((line) => line.length > 80 && !line.startsWith('•'));
      const closing = lines.find((line) => line.startsWith('Authors get paid'))!;
      const image = 'https://img.example.com/images(1).jpg';
      const markdown = newsPostMarkdown(title, image, bodyLines, bullet, [closing, lines[lines.length - 1]!]);
      const rendered = renderMarkdown(markdown);
      assertNewsStructure(rendered.html, { title, image, section: bullet, closing });
      expect(rendered.excerpt.length).toBeLessThanOrEqual(201);
      expect(rendered.excerpt.startsWith(title)).toBe(true);
      expect(rendered.readingTimeMinutes).toBeGreaterThanOrEqual(3);
      expect(rendered.images).toEqual([image]);
    });
  }
});

describe('renderMarkdown', () => {
  it('has a renderer version to store beside rendered bodies', () => {
    expect(RENDERER_VERSION).toMatch(/\S/);
  });

  it('renders GFM tables, strikethrough and fenced code with HTML escaped', () => {
    const { html } = renderMarkdown('| a | b |\n|:--|--:|\n| 1 | 2 |\n\n~~gone~~\n\n```\n<b>not bold</b>\n```');
    expect(elements(html, 'th').map((th) => th.attribs.align)).toEqual(['left', 'right']);
    expect(elements(html, 'del').map(text)).toEqual(['gone']);
    expect(elements(html, 'code').map(text)).toEqual(['<b>not bold</b>']);
    expect(elements(html, 'b')).toEqual([]);
  });

  it('adds rel to links, keeps mailto, and drops relative and protocol-relative URLs', () => {
    const { html } = renderMarkdown('[a](https://a.example) [m](mailto:me@example.com) [r](/relative) [p](//evil.example)');
    const links = elements(html, 'a');
    expect(links.map((a) => a.attribs.rel)).toEqual(Array(4).fill('nofollow noopener noreferrer'));
    expect(links.map((a) => a.attribs.href)).toEqual(['https://a.example', 'mailto:me@example.com', undefined, undefined]);
  });

  it('turns a line holding only an image URL into that image, as Steem front ends do', () => {
    expect(renderMarkdown('before\n\nhttps://img.example.com/pic.png\n\nafter').images).toEqual(['https://img.example.com/pic.png']);
  });

  it('computes excerpt, reading time and images', () => {
    const words = Array.from({ length: 450 }, (_, i) => `word${i}`).join(' ');
    const rendered = renderMarkdown(`## Heading\n\n${words}\n\n![a](https://i.example/a.png) ![a again](https://i.example/a.png) ![b](https://i.example/b.png)`);
    expect(rendered.readingTimeMinutes).toBe(3);
    expect(rendered.excerpt.endsWith('…')).toBe(true);
    expect(rendered.excerpt.length).toBeLessThanOrEqual(201);
    expect(rendered.excerpt.startsWith('Heading word0')).toBe(true);
    expect(rendered.images).toEqual(['https://i.example/a.png', 'https://i.example/b.png']);
    expect(renderMarkdown('').readingTimeMinutes).toBe(0);
  });

  it('renders a 64 KiB article', () => {
    const paragraph = `Some *text* with a [link](https://e.example). ${'Plain words of an ordinary sentence. '.repeat(5)}`;
    const body = `## Section\n\n${paragraph}\n\n${paragraph}\n\n`.repeat(200).slice(0, 64 * 1024);
    const rendered = renderMarkdown(body);
    expect(elements(rendered.html, 'h2').length).toBeGreaterThan(100);
  });

  it('refuses 64 KiB of one-line sections, each with a link (more elements than the size limit)', () => {
    const body = '## Section\n\nSome *text* with a [link](https://e.example).\n\n'.repeat(1200).slice(0, 64 * 1024);
    expect(() => renderMarkdown(body)).toThrow('(markdown size limit)');
  });
});
