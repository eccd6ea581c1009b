import fc from 'fast-check';

const N = 64 * 1024;

/** Inputs known to make marked slow (quadratic) or overflow its stack, at or near the size limit. */
export const KNOWN_PATHOLOGIES: Record<string, string> = {
  'underscore-a repeats': '_a'.repeat(32000),
  'a-underscore repeats': 'a_'.repeat(32000),
  'star-a repeats': '*a'.repeat(32000),
  'strong repeats': '**a'.repeat(N / 3),
  'tilde repeats': '~a'.repeat(N / 2),
  'backtick repeats': '`a'.repeat(N / 2),
  'long star runs': `${'*'.repeat(20000)}a${'*'.repeat(19998)}`,
  'deep quote': '>'.repeat(3000),
  'deep ordered list on one line': '1. '.repeat(N / 3),
  'deep bullet list on one line': '- '.repeat(N / 2),
  'deep indented list': Array.from({ length: 250 }, (_, i) => `${' '.repeat(i)}- a`).join('\n'),
  'open brackets': '['.repeat(N),
  'open angle brackets': '<'.repeat(N),
  'ampersands': '&'.repeat(N),
  'link definitions': Array.from({ length: 2000 }, (_, i) => `[r${i}]: http://x/${i}`).join('\n') + '\n' + Array.from({ length: 1000 }, (_, i) => `[r${i}]`).join(' '),
  'long table': `|a|b|\n|-|-|\n${'|1|2|\n'.repeat((N - 12) / 6)}`,
  'wide table': `|${'a|'.repeat(N / 8)}\n|${'-|'.repeat(N / 8)}\n|${'x|'.repeat(N / 8)}\n`,
  'nested emphasis': '*a **b '.repeat(N / 7),
  'unclosed links': '[x](y'.repeat(N / 5),
  'setext underlines (a table tried at every line)': 'a\n-\n'.repeat(N / 4),
  'bangs in one word': '!a.'.repeat(N / 3),
  'pipe-less rows under a wide header': `|${'a|'.repeat(1000)}\n|${'-|'.repeat(1000)}\n${'x\n'.repeat(30000)}`,
  'backtick runs of growing length': Array.from({ length: 60 }, (_, i) => '`'.repeat(i + 1) + 'a').join(' ').repeat(20),
};

const fragment = fc.oneof(
  fc.constantFrom('*', '_', '~', '`', '[', ']', '(', ')', '<', '>', '!', '&', '\\', '|', '-', '#', '1. ', '- ', '> ', '\n', '\n\n', ' ', '    ', 'a', 'word ', 'http://x.y/', '```', '<div>', '-|-', '[a]: /u'),
  fc.string({ maxLength: 8 }),
);

/** Random Markdown built from the characters marked treats specially, repeated so it reaches the size limit. */
export function adversarialMarkdown(maxLength: number): fc.Arbitrary<string> {
  const piece = fc.array(fragment, { minLength: 1, maxLength: 12 }).map((parts) => parts.join(''));
  return fc
    .tuple(fc.array(piece, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: maxLength }))
    .map(([pieces, target]) => {
      const unit = pieces.join('');
      return unit.repeat(Math.max(1, Math.floor(target / Math.max(1, unit.length)))).slice(0, maxLength);
    });
}
