/**
 * Steem amounts as integers in the smallest unit (money is never a float):
 * STEEM and SBD have precision 3, VESTS precision 6 (steemd `asset_symbol_type`).
 */
export type AssetSymbol = 'STEEM' | 'SBD' | 'VESTS';

export interface Asset {
  amount: bigint;
  symbol: AssetSymbol;
}

export const ASSET_PRECISION: Record<AssetSymbol, number> = { STEEM: 3, SBD: 3, VESTS: 6 };

const ASSET_PATTERN = /^(-?)(\d+)\.(\d+) (STEEM|SBD|VESTS)$/;

export class AssetFormatError extends Error {
  readonly code = 'ASSET_FORMAT';
}

/** Parses steemd's legacy asset string ("1.000 STEEM"); the number of decimals must match the symbol. */
export function parseAsset(text: string): Asset {
  const match = ASSET_PATTERN.exec(text);
  if (!match) throw new AssetFormatError(`invalid asset "${text}"`);
  const [, sign, whole, fraction, symbolText] = match;
  const symbol = symbolText as AssetSymbol;
  if (fraction.length !== ASSET_PRECISION[symbol]) {
    throw new AssetFormatError(`invalid asset "${text}": ${symbol} has precision ${ASSET_PRECISION[symbol]}`);
  }
  const magnitude = BigInt(whole + fraction);
  return { amount: sign === '-' ? -magnitude : magnitude, symbol };
}

/** Parses an asset and insists on its symbol. */
export function parseAmount(text: string, symbol: AssetSymbol): bigint {
  const asset = parseAsset(text);
  if (asset.symbol !== symbol) throw new AssetFormatError(`expected ${symbol}, got "${text}"`);
  return asset.amount;
}

export function formatAsset(amount: bigint, symbol: AssetSymbol): string {
  const precision = ASSET_PRECISION[symbol];
  const negative = amount < 0n;
  const digits = (negative ? -amount : amount).toString().padStart(precision + 1, '0');
  const whole = digits.slice(0, digits.length - precision);
  const fraction = digits.slice(digits.length - precision);
  return `${negative ? '-' : ''}${whole}.${fraction} ${symbol}`;
}

/** Accepts either an integer amount in the smallest unit or an asset string of the given symbol. */
export function toAmount(value: bigint | string, symbol: AssetSymbol): bigint {
  return typeof value === 'bigint' ? value : parseAmount(value, symbol);
}
