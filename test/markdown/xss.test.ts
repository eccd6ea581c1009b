import { renderMarkdown } from '../../domain/markdown';
import { htmlViolations } from './htmlSafety';
import { XSS_PAYLOADS } from './xssPayloads';

describe('the HTML safety checker', () => {
  it.each([
    ['<script>alert(1)</script>', 'element <script>'],
    ['<img src="https://ok.example/a.png" onerror="x">', 'event handler onerror on <img>'],
    ['<a href="javascript:alert(1)" rel="nofollow noopener noreferrer">x</a>', 'href javascript:alert(1)'],
    ['<a href="jav&#x09;ascript:alert(1)" rel="nofollow noopener noreferrer">x</a>', 'href jav\tascript:alert(1)'],
    ['<img src="/relative.png">', 'src /relative.png'],
    ['<p style="color:red">x</p>', 'attribute style on <p>'],
    ['<a href="https://ok.example">x</a>', '<a> without rel="nofollow noopener noreferrer"'],
    ['<svg></svg>', 'element <svg>'],
  ])('reports unsafe HTML %j', (html, violation) => {
    expect(htmlViolations(html)).toContain(violation);
  });

  it('accepts the safe subset', () => {
    expect(htmlViolations('<h2>t</h2><p><a href="https://e.example" rel="nofollow noopener noreferrer">l</a> <img src="https://e.example/a.png" alt="a"></p>')).toEqual([]);
  });
});

describe(`the renderer against ${XSS_PAYLOADS.length} XSS payloads`, () => {
  it('has a corpus of at least 150 payloads', () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(150);
  });

  it.each(XSS_PAYLOADS.map((payload, i) => [i, payload.category, payload.input] as const))('payload %i (%s) leaves nothing executable', (_i, _category, input) => {
    const { html } = renderMarkdown(input);
    expect(htmlViolations(html)).toEqual([]);
  });
});
