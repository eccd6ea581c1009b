import { AssetParseError, formatAsset, formatSteem, formatVests, parseAmount, parseAsset, parseDecimalAmount, parseSteem, parseVests, toAmount } from '../../domain/money/asset';
import { ceilDiv, mulDivFloor } from '../../domain/money/integer';

describe('assets', () => {
  it.each([
    ['10.000 STEEM', 10_000n, 'STEEM'],
    ['0.001 STEEM', 1n, 'STEEM'],
    ['1.234 STEEM', 1_234n, 'STEEM'],
    ['1000000.000000 VESTS', 1_000_000_000_000n, 'VESTS'],
    ['123456.789000 VESTS', 123_456_789_000n, 'VESTS'],
    ['-100.333 SBD', -100_333n, 'SBD'],
    ['0.000 STEEM', 0n, 'STEEM'],
  ])('parses and formats %s exactly', (text, amount, symbol) => {
    expect(parseAsset(text)).toEqual({ amount, symbol });
    expect(formatAsset(amount, symbol as 'STEEM')).toBe(text);
  });
  it('handles amounts beyond 2^53 without floats', () => {
    expect(parseSteem('9007199254740993.123 STEEM')).toBe(9_007_199_254_740_993_123n);
    expect(formatSteem(9_007_199_254_740_993_123n)).toBe('9007199254740993.123 STEEM');
  });
  it.each(['1.23 STEEM', '1.2345 STEEM', '1 STEEM', '1.000 steem', '1e3 STEEM', '0.001 VESTS', '', ' 1.000 STEEM', '1.000  STEEM', '1,000 STEEM', '+1.000 STEEM', 'NaN STEEM'])(
    'refuses %j with a clear error',
    (text) => {
      expect(() => parseAsset(text)).toThrow(expect.objectContaining({ code: 'ASSET_INVALID' }));
    },
  );
  it('checks the symbol in parseSteem / parseVests', () => {
    expect(() => parseSteem('1.000 SBD')).toThrow(/expected a STEEM amount/);
    expect(() => parseVests('1.000 STEEM')).toThrow(/VESTS/);
    expect(parseVests('0.000001 VESTS')).toBe(1n);
  });
  it('parses bare decimals with exact precision', () => {
    expect(parseDecimalAmount('1000000.000000', 6)).toBe(1_000_000_000_000n);
    expect(() => parseDecimalAmount('1000000', 6)).toThrow(/exactly 6 fractional digits/);
  });
  it('parses an amount of a given symbol, and takes integer amounts as they are', () => {
    expect(parseAmount('0.000 SBD', 'SBD')).toBe(0n);
    expect(parseAmount('12.345678 VESTS', 'VESTS')).toBe(12_345_678n);
    expect(() => parseAmount('1.000 STEEM', 'SBD')).toThrow(AssetParseError);
    expect(toAmount(42n, 'STEEM')).toBe(42n);
    expect(toAmount('0.042 STEEM', 'STEEM')).toBe(42n);
    expect(() => toAmount('0.042 SBD', 'STEEM')).toThrow(expect.objectContaining({ code: 'ASSET_INVALID', input: '0.042 SBD' }));
  });
  it('formats small and negative amounts', () => {
    expect(formatSteem(5n)).toBe('0.005 STEEM');
    expect(formatSteem(-5n)).toBe('-0.005 STEEM');
    expect(formatVests(1n)).toBe('0.000001 VESTS');
  });
});

describe('integer helpers', () => {
  it('mulDivFloor and ceilDiv match steemd u128 arithmetic', () => {
    expect(mulDivFloor(7n, 3n, 2n)).toBe(10n);
    expect(ceilDiv(7n, 2n)).toBe(4n);
    expect(ceilDiv(0n, 2n)).toBe(0n);
    expect(() => mulDivFloor(1n, 1n, 0n)).toThrow(RangeError);
  });
});
