/**
 * Wire formatting for the trading API: Alpaca sends decimals as JSON strings and times as RFC-3339 with
 * nanoseconds. Internally money and quantities are doubles rounded at fixed places; order timestamps are
 * integer microseconds of market time, so a timestamp a client echoes back (after/until) compares exactly.
 */

/** Alpaca accepts quantities with up to 9 decimal places. */
export const QTY_DP = 9;
/** Fill and order prices (sub-penny prices below $1 use 4 places). */
export const PRICE_DP = 4;
/** Cash, values, P/L. */
export const MONEY_DP = 4;
/** Percent changes and P/L ratios. */
export const RATIO_DP = 10;
/** Tolerance for quantity comparisons (well below the 1e-9 share resolution). */
export const QTY_EPS = 1e-10;

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12];

export function roundTo(x: number, dp: number): number {
  const f = POW10[dp]!;
  return Math.round(x * f) / f;
}

export const roundQty = (x: number): number => roundTo(x, QTY_DP);
export const roundPrice = (x: number): number => roundTo(x, PRICE_DP);

/** Rounds a quantity down to 1e-9 (the epsilon keeps 0.3 from becoming 0.299999999). */
export function floorQty(x: number): number {
  return Math.floor(x * 1e9 + 1e-6) / 1e9;
}

/** `x` with at most `dp` decimals, trailing zeros stripped: 100 → "100", 1.5 → "1.5", -0 → "0". */
export function decimal(x: number, dp: number): string {
  const r = roundTo(x, dp);
  if (r === 0 || !Number.isFinite(r)) return '0';
  const s = r.toFixed(dp);
  if (dp === 0) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}

export const qtyStr = (x: number): string => decimal(x, QTY_DP);
export const priceStr = (x: number): string => decimal(x, PRICE_DP);
export const moneyStr = (x: number): string => decimal(x, MONEY_DP);

export const nullableQty = (x: number | null): string | null => (x === null ? null : qtyStr(x));
export const nullablePrice = (x: number | null): string | null => (x === null ? null : priceStr(x));

/** Market epoch ms → integer microseconds. */
export const toUs = (ms: number): number => Math.round(ms * 1000);

/** Integer epoch microseconds → `2024-07-23T14:00:00.123456000Z` (nanosecond precision, UTC). */
export function isoUs(us: number): string {
  const ms = Math.floor(us / 1000);
  const sub = us - ms * 1000;
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 23)}${sub < 10 ? '00' : sub < 100 ? '0' : ''}${sub}000Z`;
}

export const isoMs = (ms: number): string => isoUs(toUs(ms));
export const nullableIso = (us: number | null): string | null => (us === null ? null : isoUs(us));

/** A parsed timestamp: whole microseconds plus the leftover nanoseconds (0..999). */
export interface ParsedTime {
  us: number;
  ns: number;
}

// RFC-3339 or a bare date. A space before the offset digits is a '+' that query-string decoding turned into ' '.
const TS_RE = /^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+\- ]\d{2}:?\d{2})?)?$/;

export function parseTimestamp(text: string): ParsedTime | undefined {
  const m = TS_RE.exec(text.trim());
  if (!m) return undefined;
  const [, date, hh = '00', mi = '00', ss = '00', frac = '', off] = m;
  let offset = 'Z';
  if (off && off.toUpperCase() !== 'Z') {
    const sign = off[0] === '-' ? '-' : '+';
    const digits = off.slice(1).replace(':', '');
    offset = `${sign}${digits.slice(0, 2)}:${digits.slice(2)}`;
  }
  const base = Date.parse(`${date}T${hh}:${mi}:${ss}${offset}`);
  if (!Number.isFinite(base)) return undefined;
  const digits = frac.padEnd(9, '0');
  return { us: base * 1000 + Number(digits.slice(0, 6)), ns: Number(digits.slice(6)) };
}

/** `stampUs` (whole µs) is strictly after `t`. */
export const isAfter = (stampUs: number, t: ParsedTime): boolean => stampUs > t.us;
/** `stampUs` (whole µs) is strictly before `t` (sub-µs digits of `t` count). */
export const isBefore = (stampUs: number, t: ParsedTime): boolean => (t.ns > 0 ? stampUs <= t.us : stampUs < t.us);
