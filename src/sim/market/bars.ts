/**
 * Bars of any timeframe as exact aggregates of minute bars. Intraday buckets (N minutes, N hours) are aligned to
 * the UTC epoch; day, week (Monday) and N-month buckets to New York midnight. A bucket is reported when its
 * start lies in [start, end]; it holds every minute bar of the bucket that is complete at `now` (so today's
 * daily bar grows during the day). Empty buckets produce no bar.
 */
import { type Agg, addAgg, addInterval, type BarJson, barJson, emptyAgg } from './agg.js';
import { tradingSession } from './calendar.js';
import { aggregateDay, type DayMinutes } from './day-data.js';
import {
  civilFromDays,
  daysFromCivil,
  formatUtcSeconds,
  MINUTE_MS,
  type NanoTime,
  nyDayOf,
  nyTime,
  weekday,
} from './ny-time.js';
import { HISTORY_END_DAY, HISTORY_START_DAY, type SymbolModel } from './prices.js';
import {
  type Budget,
  type Entry,
  HISTORY_END_MS,
  HISTORY_START_MS,
  type SeriesRange,
  type SeriesSource,
} from './series.js';

export type Timeframe =
  | { kind: 'intraday'; ms: number }
  | { kind: 'day' }
  | { kind: 'week' }
  | { kind: 'month'; months: number };

const TF_RE = /^([1-9]\d?)(Min|T|Hour|H|Day|D|Week|W|Month|M)$/;

/** Alpaca's timeframes: `[1-59]Min|T`, `[1-23]Hour|H`, `1Day|D`, `1Week|W`, `[1,2,3,4,6,12]Month|M`. */
export function parseTimeframe(text: string): Timeframe | undefined {
  const m = TF_RE.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  switch (m[2]) {
    case 'Min':
    case 'T':
      return n <= 59 ? { kind: 'intraday', ms: n * MINUTE_MS } : undefined;
    case 'Hour':
    case 'H':
      return n <= 23 ? { kind: 'intraday', ms: n * 60 * MINUTE_MS } : undefined;
    case 'Day':
    case 'D':
      return n === 1 ? { kind: 'day' } : undefined;
    case 'Week':
    case 'W':
      return n === 1 ? { kind: 'week' } : undefined;
    default:
      return [1, 2, 3, 4, 6, 12].includes(n) ? { kind: 'month', months: n } : undefined;
  }
}

/** The smallest whole millisecond at or after a NanoTime. */
const ceilMs = (t: NanoTime): number => (t.ns > 0 ? t.ms + 1 : t.ms);

/** Minute `m` of a day as a one-minute bar. */
export function minuteBar(dm: DayMinutes, m: number): BarJson {
  const a = emptyAgg();
  addInterval(a, dm.o[m]!, dm.h[m]!, dm.l[m]!, dm.c[m]!, dm.v[m]!, dm.n[m]!, 0, dm.vw4[m]! * dm.v[m]!, true);
  return barJson(formatUtcSeconds(dm.session.extendedOpen + m * MINUTE_MS), a);
}

/** Aggregate of a trading day's minute bars complete at `now` (cached when the day is over). */
export function dayAggAt(src: SeriesSource, sm: SymbolModel, day: number, now: number): Agg | undefined {
  const s = tradingSession(day);
  if (!s || day < HISTORY_START_DAY || day > HISTORY_END_DAY) return undefined;
  if (now >= s.extendedClose) return src.dayAgg(sm, day);
  const upTo = Math.floor((now - s.extendedOpen) / MINUTE_MS);
  if (upTo <= 0) return undefined;
  const dm = src.dayMinutes(sm, day);
  return dm ? aggregateDay(dm, upTo) : undefined;
}

/** N-minute and N-hour bars of one symbol. `from` is a bucket start from a page token. */
export function* intradayBars(
  src: SeriesSource,
  sm: SymbolModel,
  len: number,
  range: SeriesRange,
  from: number | undefined,
  budget: Budget,
): Generator<Entry<BarJson>> {
  const { desc } = range;
  let firstBucket = Math.ceil(ceilMs(range.lo) / len) * len;
  let lastBucket = Math.floor(range.hi.ms / len) * len;
  if (from !== undefined) {
    const b = Math.floor(from / len) * len;
    if (desc) lastBucket = Math.min(lastBucket, b);
    else firstBucket = Math.max(firstBucket, b);
  }
  // Minute starts in [lo, hi): whole buckets, complete minutes only, inside the history.
  const lo = Math.max(firstBucket, HISTORY_START_MS);
  const hi = Math.min(lastBucket + len, Math.floor(range.now / MINUTE_MS) * MINUTE_MS, HISTORY_END_MS);
  if (lo >= hi) return;
  const firstDay = nyDayOf(lo);
  const lastDay = nyDayOf(hi - 1);
  const step = desc ? -1 : 1;
  let acc = emptyAgg();
  let key = 0;
  for (let d = desc ? lastDay : firstDay; desc ? d >= firstDay : d <= lastDay; d += step) {
    const s = tradingSession(d);
    if (!s || s.extendedClose <= lo || s.extendedOpen >= hi) continue;
    const dm = src.dayMinutes(sm, d);
    if (!dm) continue;
    budget.days--;
    const mFrom = Math.max(0, Math.ceil((lo - s.extendedOpen) / MINUTE_MS));
    const mTo = Math.min(dm.shape.minutes, Math.ceil((hi - s.extendedOpen) / MINUTE_MS)) - 1;
    for (let m = desc ? mTo : mFrom; desc ? m >= mFrom : m <= mTo; m += step) {
      if (dm.n[m] === 0) continue;
      const t = s.extendedOpen + m * MINUTE_MS;
      const k = t - (t % len);
      if (k !== key && acc.n > 0) {
        yield { cursor: { key, sub: 0 }, item: barJson(formatUtcSeconds(key), acc) };
        acc = emptyAgg();
      }
      key = k;
      addInterval(acc, dm.o[m]!, dm.h[m]!, dm.l[m]!, dm.c[m]!, dm.v[m]!, dm.n[m]!, 0, dm.vw4[m]! * dm.v[m]!, !desc);
    }
  }
  if (acc.n > 0) yield { cursor: { key, sub: 0 }, item: barJson(formatUtcSeconds(key), acc) };
}

type CalendarTimeframe = Exclude<Timeframe, { kind: 'intraday' }>;

/** First day of the bucket containing `day`. */
function bucketOf(tf: CalendarTimeframe, day: number): number {
  if (tf.kind === 'day') return day;
  if (tf.kind === 'week') return day - ((weekday(day) + 6) % 7);
  const { y, m } = civilFromDays(day);
  const g = Math.floor((y * 12 + m - 1) / tf.months) * tf.months;
  return daysFromCivil(Math.floor(g / 12), (g % 12) + 1, 1);
}

/** First day of the bucket after (`dir` 1) or before (`dir` -1) the bucket starting at `first`. */
function stepBucket(tf: CalendarTimeframe, first: number, dir: 1 | -1): number {
  if (tf.kind === 'day') return first + dir;
  if (tf.kind === 'week') return first + 7 * dir;
  const { y, m } = civilFromDays(first);
  const g = y * 12 + m - 1 + tf.months * dir;
  return daysFromCivil(Math.floor(g / 12), (g % 12) + 1, 1);
}

/** Daily, weekly and monthly bars of one symbol. `from` is a bucket start (ms) from a page token. */
export function* calendarBars(
  src: SeriesSource,
  sm: SymbolModel,
  tf: CalendarTimeframe,
  range: SeriesRange,
  from: number | undefined,
  budget: Budget,
): Generator<Entry<BarJson>> {
  const loMs = ceilMs(range.lo);
  let first = bucketOf(tf, Math.max(nyDayOf(loMs), HISTORY_START_DAY));
  if (nyTime(first) < loMs) first = stepBucket(tf, first, 1);
  let last = bucketOf(tf, Math.min(nyDayOf(range.hi.ms), HISTORY_END_DAY));
  if (from !== undefined) {
    const b = bucketOf(tf, nyDayOf(from));
    if (range.desc) last = Math.min(last, b);
    else first = Math.max(first, b);
  }
  for (let b = range.desc ? last : first; range.desc ? b >= first : b <= last; ) {
    const next = stepBucket(tf, b, 1);
    const acc = emptyAgg();
    for (let d = b; d < next; d++) {
      if (!tradingSession(d) || nyTime(d) > range.now) continue;
      const a = dayAggAt(src, sm, d, range.now);
      budget.days--;
      if (a) addAgg(acc, a, true);
    }
    const start = nyTime(b);
    if (acc.n > 0) yield { cursor: { key: start, sub: 0 }, item: barJson(formatUtcSeconds(start), acc) };
    b = range.desc ? stepBucket(tf, b, -1) : next;
  }
}
