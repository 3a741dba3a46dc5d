/**
 * Civil-date arithmetic and New York time without Intl (the simulator formats thousands of timestamps per
 * request, and Intl is slow and host-dependent). A "day" is a day number: days since 1970-01-01 of a calendar
 * date. US Eastern DST follows the 2007 rule (second Sunday of March 02:00 to first Sunday of November 02:00)
 * for every year: the synthetic history starts in 2016, and older calendar rows carry no offsets.
 */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Dates outside these years are rejected by the parsers (they bound every loop over days). */
export const MIN_YEAR = 1970;
export const MAX_YEAR = 2199;

export interface CivilDate {
  y: number;
  /** 1-12 */
  m: number;
  d: number;
}

/** Day number of a proleptic Gregorian date (month 1-12), after Howard Hinnant's `days_from_civil`. */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(day: number): CivilDate {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function daysInMonth(y: number, m: number): number {
  return daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - daysFromCivil(y, m, 1);
}

/** Day number of the n-th (1-based) `wd` weekday of a month. */
export function nthWeekday(y: number, m: number, wd: number, n: number): number {
  const first = daysFromCivil(y, m, 1);
  return first + ((wd - weekday(first) + 7) % 7) + (n - 1) * 7;
}

/** Day number of the last `wd` weekday of a month. */
export function lastWeekday(y: number, m: number, wd: number): number {
  const last = daysFromCivil(y, m, daysInMonth(y, m));
  return last - ((weekday(last) - wd + 7) % 7);
}

// One cached interval [lo, hi) of constant offset: consecutive calls almost always hit the same interval.
let memoLo = 0;
let memoHi = -1;
let memoOffset = 0;

/** New York's UTC offset (ms, negative) at a UTC instant. */
export function nyOffsetMs(utcMs: number): number {
  if (utcMs >= memoLo && utcMs < memoHi) return memoOffset;
  const y = civilFromDays(Math.floor(utcMs / DAY_MS)).y;
  // DST starts 02:00 EST (07:00 UTC) and ends 02:00 EDT (06:00 UTC).
  const dstStart = nthWeekday(y, 3, 0, 2) * DAY_MS + 7 * HOUR_MS;
  const dstEnd = nthWeekday(y, 11, 0, 1) * DAY_MS + 6 * HOUR_MS;
  if (utcMs < dstStart) [memoLo, memoHi, memoOffset] = [daysFromCivil(y, 1, 1) * DAY_MS, dstStart, -5 * HOUR_MS];
  else if (utcMs < dstEnd) [memoLo, memoHi, memoOffset] = [dstStart, dstEnd, -4 * HOUR_MS];
  else [memoLo, memoHi, memoOffset] = [dstEnd, daysFromCivil(y + 1, 1, 1) * DAY_MS, -5 * HOUR_MS];
  return memoOffset;
}

/** The New York calendar day of a UTC instant. */
export function nyDayOf(utcMs: number): number {
  return Math.floor((utcMs + nyOffsetMs(utcMs)) / DAY_MS);
}

/**
 * UTC instant of a New York wall time `minutes` after midnight of `day`. Exact for every time outside the
 * 02:00-03:00 DST switch hours (the market never uses those).
 */
export function nyTime(day: number, minutes = 0): number {
  const local = day * DAY_MS + minutes * MINUTE_MS;
  const asEst = local + 5 * HOUR_MS;
  return nyOffsetMs(asEst) === -5 * HOUR_MS ? asEst : local + 4 * HOUR_MS;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));

/** `YYYY-MM-DD` of a day number. */
export function formatDay(day: number): string {
  const { y, m, d } = civilFromDays(day);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** RFC-3339 in New York time with its offset: `2024-07-23T10:00:00.123-04:00` (`millis` false: no fraction). */
export function formatNy(utcMs: number, millis = true): string {
  const off = nyOffsetMs(utcMs);
  const local = Math.floor(utcMs) + off;
  const day = Math.floor(local / DAY_MS);
  const tod = local - day * DAY_MS;
  const h = Math.floor(tod / HOUR_MS);
  const mi = Math.floor((tod % HOUR_MS) / MINUTE_MS);
  const s = Math.floor((tod % MINUTE_MS) / 1000);
  const frac = millis ? `.${pad3(tod % 1000)}` : '';
  return `${formatDay(day)}T${pad2(h)}:${pad2(mi)}:${pad2(s)}${frac}-0${-off / HOUR_MS}:00`;
}

// Bars and ticks of one request share a handful of days: keep the last day's `YYYY-MM-DDT` prefix.
let prefixDay = Number.NaN;
let prefixText = '';

function utcDayPrefix(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== prefixDay) {
    prefixDay = day;
    prefixText = `${formatDay(day)}T`;
  }
  return prefixText;
}

/** `2024-07-23T14:31:00Z` (whole seconds, UTC): the bar timestamp format. */
export function formatUtcSeconds(ms: number): string {
  const tod = ms - Math.floor(ms / DAY_MS) * DAY_MS;
  const s = Math.floor((tod % MINUTE_MS) / 1000);
  return `${utcMinutePrefix(ms)}${pad2(s)}Z`;
}

/** `2024-07-23T14:31:` for a UTC minute; trades and quotes append `SS.nnnnnnnnnZ`. */
export function utcMinutePrefix(minuteMs: number): string {
  const tod = minuteMs - Math.floor(minuteMs / DAY_MS) * DAY_MS;
  return `${utcDayPrefix(minuteMs)}${pad2(Math.floor(tod / HOUR_MS))}:${pad2(Math.floor((tod % HOUR_MS) / MINUTE_MS))}:`;
}

/** Seconds-and-nanoseconds suffix for an offset in ns within a minute: `05.123456789Z`. */
export function nanoSuffix(offNs: number): string {
  const s = Math.floor(offNs / 1e9);
  const frac = String(offNs - s * 1e9).padStart(9, '0');
  return `${pad2(s)}.${frac}Z`;
}

/** An instant with nanosecond precision: `ms` whole epoch milliseconds plus `ns` in [0, 1e6). */
export interface NanoTime {
  ms: number;
  ns: number;
}

export function nanoFromMs(ms: number): NanoTime {
  const whole = Math.floor(ms);
  return { ms: whole, ns: Math.min(999_999, Math.floor((ms - whole) * 1e6)) };
}

export function compareNano(a: NanoTime, b: NanoTime): number {
  return a.ms !== b.ms ? a.ms - b.ms : a.ns - b.ns;
}

/** Parses a strict `YYYY-MM-DD` (years {@link MIN_YEAR}..{@link MAX_YEAR}); undefined when invalid. */
export function parseDay(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  return validDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

function validDay(y: number, mo: number, d: number): number | undefined {
  if (y < MIN_YEAR || y > MAX_YEAR || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return daysFromCivil(y, mo, d);
}

export type ParsedTime = { kind: 'date'; day: number } | { kind: 'instant'; at: NanoTime };

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+\- ]\d{2}:\d{2})$/;

/**
 * Parses an RFC-3339 timestamp (fraction up to 9 digits, `Z` or `±HH:MM`) or a bare `YYYY-MM-DD`.
 * A space where the offset sign belongs is read as `+` (an unencoded `+` in a query string arrives as a space).
 */
export function parseTime(text: string): ParsedTime | undefined {
  const day = parseDay(text);
  if (day !== undefined) return { kind: 'date', day };
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const d = validDay(Number(m[1]), Number(m[2]), Number(m[3]));
  const [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (d === undefined || h > 23 || mi > 59 || s > 59) return undefined;
  let offsetMin = 0;
  const z = m[8]!;
  if (z !== 'Z' && z !== 'z') {
    const [oh, om] = [Number(z.slice(1, 3)), Number(z.slice(4, 6))];
    if (oh > 23 || om > 59) return undefined;
    offsetMin = (z[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const fracNs = Number((m[7] ?? '').padEnd(9, '0'));
  const ms = d * DAY_MS + h * HOUR_MS + mi * MINUTE_MS + s * 1000 - offsetMin * MINUTE_MS + Math.floor(fracNs / 1e6);
  return { kind: 'instant', at: { ms, ns: fracNs % 1e6 } };
}
