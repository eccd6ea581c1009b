import type { IOptions } from 'sanitize-html';

/** Schemes a link may use; everything else (javascript:, data:, vbscript:, ...) is dropped. */
export const LINK_SCHEMES = ['http', 'https', 'mailto'];
export const IMAGE_SCHEMES = ['http', 'https'];

export const LINK_REL = 'nofollow noopener noreferrer';

const ABSOLUTE_LINK = /^(https?:\/\/[^\s]+|mailto:[^\s]+)$/i;
const ABSOLUTE_IMAGE = /^https?:\/\/[^\s]+$/i;

/**
 * The strict allowlist rendered articles are cut down to: text structure, code, tables, images and
 * links. No scripts, styles, frames, forms, SVG/MathML, event handlers, ids, classes or inline CSS.
 */
export const SANITIZE_OPTIONS: IOptions = {
  allowedTags: [
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote',
    'em', 'strong', 'del', 's', 'code', 'pre', 'ul', 'ol', 'li',
    'table', 'thead', 'tbody', 'tr', 'th', 'td', 'img', 'a',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title'],
    ol: ['start'],
    th: ['align'],
    td: ['align'],
  },
  allowedSchemes: LINK_SCHEMES,
  allowedSchemesByTag: { img: IMAGE_SCHEMES },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  allowedStyles: {},
  // Elements whose content is code or markup, not text: removed with everything inside.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'svg', 'math', 'template', 'xmp', 'noembed', 'noframes', 'title'],
  disallowedTagsMode: 'discard',
  enforceHtmlBoundary: false,
  parseStyleAttributes: false,
  transformTags: {
    // Relative and scheme-less URLs are dropped too: an article is shown on many front ends, where a
    // relative link would point somewhere unintended.
    a: (tagName, attribs) => {
      const { target: _target, href, ...rest } = attribs;
      return { tagName, attribs: { ...rest, ...(href && ABSOLUTE_LINK.test(href) ? { href } : {}), rel: LINK_REL } };
    },
    img: (tagName, attribs) => {
      const { src, ...rest } = attribs;
      return { tagName, attribs: { ...rest, ...(src && ABSOLUTE_IMAGE.test(src) ? { src } : {}) } };
    },
    th: alignOnly,
    td: alignOnly,
  },
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
};

function alignOnly(tagName: string, attribs: Record<string, string>): { tagName: string; attribs: Record<string, string> } {
  const align = attribs.align;
  return { tagName, attribs: align === 'left' || align === 'right' || align === 'center' ? { align } : {} };
}
