import { isValidSteemAccountName, MAX_ACCOUNT_NAME_LENGTH, MIN_ACCOUNT_NAME_LENGTH } from '../../domain/accounts';

/**
 * steemd's rule written out a second, independent way (character by character, as a small state
 * machine), so the exhaustive comparison below checks the regex-based rule against something that
 * does not share its mistakes.
 */
function referenceRule(name: string): boolean {
  if (name.length < 3 || name.length > 16) return false;
  const isLower = (c: string) => c >= 'a' && c <= 'z';
  const isDigit = (c: string) => c >= '0' && c <= '9';
  let labelStart = 0;
  for (let i = 0; i <= name.length; i++) {
    if (i < name.length && name[i] !== '.') continue;
    const label = name.slice(labelStart, i);
    if (label.length < 3) return false;
    if (!isLower(label[0]!)) return false;
    const last = label[label.length - 1]!;
    if (!isLower(last) && !isDigit(last)) return false;
    for (const c of label.slice(1, -1)) if (!isLower(c) && !isDigit(c) && c !== '-') return false;
    labelStart = i + 1;
  }
  return true;
}

function* allStrings(alphabet: string[], maxLength: number): Generator<string> {
  let current = [''];
  yield '';
  for (let length = 1; length <= maxLength; length++) {
    const next: string[] = [];
    for (const prefix of current) for (const c of alphabet) next.push(prefix + c);
    yield* next;
    current = next;
  }
}

describe('Steem account names (steemd is_valid_account_name)', () => {
  it('uses steemd’s length limits', () => {
    expect([MIN_ACCOUNT_NAME_LENGTH, MAX_ACCOUNT_NAME_LENGTH]).toEqual([3, 16]);
  });

  it.each([
    'abc', 'a00', 'a-0', 'a0a', 'a-b', 'steemit', 'inkwell-treasury', 'abc.def', 'abc.def.ghi', 'abc-def.ghi',
    'a--b', 'xn--abc-d0e.fgh', 'abc.de9', 'abc.d-9', 'a'.repeat(16), 'abc.def.ghi.jkl',
  ])('accepts %j', (name) => {
    expect(isValidSteemAccountName(name)).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['a', 'too short'],
    ['ab', 'too short'],
    ['a'.repeat(17), 'too long'],
    ['abcdefgh.ijklmnop', 'too long with a dot'],
    ['Abc', 'uppercase'],
    ['aBc', 'uppercase inside'],
    ['1abc', 'starts with a digit'],
    ['-abc', 'starts with a hyphen'],
    ['abc-', 'ends with a hyphen'],
    ['.abc', 'starts with a dot'],
    ['abc.', 'ends with a dot'],
    ['abc..def', 'empty label'],
    ['ab.cde', 'first label shorter than 3'],
    ['abc.de', 'last label shorter than 3'],
    ['abc.1de', 'label starting with a digit'],
    ['abc.de-', 'label ending with a hyphen'],
    ['abc_def', 'underscore'],
    ['abc def', 'space'],
    ['abc,def', 'comma'],
    ['abc/def', 'slash'],
    ['abç', 'non-ASCII'],
    ['abc\n', 'trailing newline'],
    [' abc', 'leading space'],
  ])('refuses %j (%s)', (name) => {
    expect(isValidSteemAccountName(name)).toBe(false);
  });

  it.each([undefined, null, 123, ['abc'], { name: 'abc' }])('refuses the non-string %j', (value) => {
    expect(isValidSteemAccountName(value)).toBe(false);
  });

  it('agrees with an independent implementation on every string of up to 6 characters over a telling alphabet', () => {
    // a letter at each end of the range, digits, the two separators and characters that are never allowed.
    const alphabet = ['a', 'z', '0', '9', '-', '.', 'A', '_'];
    let accepted = 0;
    let checked = 0;
    for (const name of allStrings(alphabet, 6)) {
      const expected = referenceRule(name);
      if (isValidSteemAccountName(name) !== expected) throw new Error(`disagreement on ${JSON.stringify(name)}: reference says ${expected}`);
      if (expected) accepted++;
      checked++;
    }
    expect(checked).toBe((8 ** 7 - 1) / 7);
    // Both outcomes are well represented, so the comparison is not vacuous.
    expect(accepted).toBeGreaterThan(1000);
    expect(checked - accepted).toBeGreaterThan(accepted);
  });

  it('agrees with the independent implementation at the length limits, dots in every position', () => {
    for (let length = 14; length <= 18; length++) {
      for (let dot = -1; dot < length; dot++) {
        const name = Array.from({ length }, (_, i) => (i === dot ? '.' : 'a')).join('');
        expect([name, isValidSteemAccountName(name)]).toEqual([name, referenceRule(name)]);
      }
    }
    expect(isValidSteemAccountName('abcdefg.hijklmno')).toBe(true);
    expect(isValidSteemAccountName('abcdefg.hijklmnop')).toBe(false);
  });
});
