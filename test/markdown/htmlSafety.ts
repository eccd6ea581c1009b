import { parseDocument } from 'htmlparser2';
import type { ChildNode, Element } from 'domhandler';

/** What rendered article HTML may contain; anything else is a violation. */
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  h1: [], h2: [], h3: [], h4: [], h5: [], h6: [], p: [], br: [], hr: [], blockquote: [],
  em: [], strong: [], del: [], s: [], code: [], pre: [], ul: [], ol: ['start'], li: [],
  table: [], thead: [], tbody: [], tr: [], th: ['align'], td: ['align'],
  img: ['src', 'alt', 'title'], a: ['href', 'title', 'rel'],
};

/** Decodes what a browser would see in a URL attribute, then strips what browsers ignore. */
function normalisedUrl(value: string): string {
  // htmlparser2 already decoded entities; browsers also drop control characters and whitespace.
  return [...value]
    .filter((char) => {
      const code = char.charCodeAt(0);
      return code > 0x20 && (code < 0x7f || code > 0x9f);
    })
    .join('')
    .toLowerCase();
}

/** Parses HTML with a real parser and lists every unsafe element, attribute and URL in it. */
export function htmlViolations(html: string): string[] {
  const violations: string[] = [];
  const visit = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (node.type === 'tag' || node.type === 'script' || node.type === 'style') {
        const element = node as Element;
        const name = element.name.toLowerCase();
        const allowed = ALLOWED_ATTRIBUTES[name];
        if (!allowed) {
          violations.push(`element <${name}>`);
        } else {
          for (const [attribute, value] of Object.entries(element.attribs)) {
            const key = attribute.toLowerCase();
            if (key.startsWith('on')) violations.push(`event handler ${key} on <${name}>`);
            else if (!allowed.includes(key)) violations.push(`attribute ${key} on <${name}>`);
            if (key === 'href' && !/^(https?:\/\/|mailto:)/.test(normalisedUrl(value))) violations.push(`href ${value}`);
            if (key === 'src' && !/^https?:\/\//.test(normalisedUrl(value))) violations.push(`src ${value}`);
          }
          if (name === 'a' && element.attribs.rel !== 'nofollow noopener noreferrer') violations.push('<a> without rel="nofollow noopener noreferrer"');
        }
        visit(element.children);
      } else if (node.type === 'directive' || node.type === 'cdata') {
        violations.push(`${node.type} node`);
      } else if ('children' in node) {
        visit(node.children as ChildNode[]);
      }
    }
  };
  visit(parseDocument(html, { lowerCaseAttributeNames: false, recognizeCDATA: true }).children);
  return violations;
}
