/**
 * Steem assets as exact integers: Inkwell's one money module, used by the configuration, the routes, the
 * chain client and the devnet alike. STEEM (and SBD) have precision 3, so 0.001 STEEM = 1n; VESTS have
 * precision 6, so 0.000001 VESTS = 1n, which is also the unit mana and rshares are counted in (steemd's
 * `asset_symbol_type`). No floats anywhere: strings are parsed digit by digit.
 */

/** STEEM in its smallest unit (0.001 STEEM = 1n). */
export type SteemAmount = bigint;
/** VESTS in its smallest unit (0.000001 VESTS = 1n). */
export type VestsAmount = bigint;

export type AssetSymbol = 'STEEM' | 'SBD' | 'VESTS';

export const ASSET_PRECISION: Readonly<Record<AssetSymbol, number>> = { STEEM: 3, SBD: 3, VESTS: 6 };

export interface Asset {
  amount: bigint;
  symbol: AssetSymbol;
}

/**
 * A malformed asset string. `code` is stable; a request carrying one is answered 422 in the RealWorld
 * error shape (route schemas turn it into a field error; the error handler maps any that escapes).
 */
export class AssetParseError extends Error {
  readonly code = 'ASSET_INVALID';
  constructor(
    message: string,
    readonly input: string,
  ) {
    super(message);
    this.name = 'AssetParseError';
  }
}

function isSymbol(value: string): value is AssetSymbol {
  return value === 'STEEM' || value === 'SBD' || value === 'VESTS';
}

/**
 * Parses a plain decimal with exactly `precision` fractional digits ("1000000.000000" for 6) into the
 * smallest unit. Exactly, because steemd's own asset strings always carry the full precision and a
 * shorter or longer fraction usually means a unit mix-up (STEEM vs VESTS).
 */
export function parseDecimalAmount(input: string, precision: number, what = 'amount'): bigint {
  if (typeof input !== 'string') throw new AssetParseError(`${what} must be a string`, String(input));
  const pattern = precision === 0 ? /^(-?)(\d+)$/ : new RegExp(`^(-?)(\\d+)\\.(\\d{${precision}})$`);
  const match = pattern.exec(input);
  if (!match) {
    const example = precision === 0 ? '123' : `123.${'0'.repeat(precision)}`;
    throw new AssetParseError(
      `${what} "${input}" is not a decimal with exactly ${precision} fractional digits (e.g. "${example}")`,
      input,
    );
  }
  const [, sign, whole, fraction = ''] = match;
  const magnitude = BigInt(whole + fraction);
  return sign === '-' ? -magnitude : magnitude;
}

/** Parses "1.234 STEEM", "-100.333 SBD" or "1000000.000000 VESTS". */
export function parseAsset(input: string): Asset {
  if (typeof input !== 'string') throw new AssetParseError('asset must be a string', String(input));
  const parts = input.split(' ');
  if (parts.length !== 2 || !isSymbol(parts[1])) {
    throw new AssetParseError(`asset "${input}" must look like "1.234 STEEM", "1.234 SBD" or "1.000000 VESTS"`, input);
  }
  const symbol = parts[1];
  return { amount: parseDecimalAmount(parts[0], ASSET_PRECISION[symbol], `${symbol} amount`), symbol };
}

/** Parses an asset and insists on its symbol: ("1.234 STEEM", 'STEEM') → 1234n. */
export function parseAmount(input: string, symbol: AssetSymbol): bigint {
  const asset = parseAsset(input);
  if (asset.symbol !== symbol) {
    throw new AssetParseError(`expected a ${symbol} amount, got "${input}"`, input);
  }
  return asset.amount;
}

/** "1.234 STEEM" → 1234n. */
export function parseSteem(input: string): SteemAmount {
  return parseAmount(input, 'STEEM');
}

/** "1000000.000000 VESTS" → 1000000000000n. */
export function parseVests(input: string): VestsAmount {
  return parseAmount(input, 'VESTS');
}

/** An integer amount in the smallest unit as it is, or an asset string of `symbol` parsed. */
export function toAmount(value: bigint | string, symbol: AssetSymbol): bigint {
  return typeof value === 'bigint' ? value : parseAmount(value, symbol);
}

/** Formats an integer amount with the symbol's precision: (1234n, 'STEEM') → "1.234 STEEM". */
export function formatAsset(amount: bigint, symbol: AssetSymbol): string {
  return `${formatDecimalAmount(amount, ASSET_PRECISION[symbol])} ${symbol}`;
}

/** (1234n, 3) → "1.234". */
export function formatDecimalAmount(amount: bigint, precision: number): string {
  const negative = amount < 0n;
  const digits = (negative ? -amount : amount).toString().padStart(precision + 1, '0');
  const whole = digits.slice(0, digits.length - precision);
  const fraction = digits.slice(digits.length - precision);
  return `${negative ? '-' : ''}${whole}${precision > 0 ? '.' + fraction : ''}`;
}

export function formatSteem(amount: SteemAmount): string {
  return formatAsset(amount, 'STEEM');
}

export function formatVests(amount: VestsAmount): string {
  return formatAsset(amount, 'VESTS');
}
