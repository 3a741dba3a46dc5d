/**
 * Resumable, time-ordered item streams of one symbol (the shared shapes), and the trade/quote streams.
 * Streams are generators that start at a cursor (from a page token) and never scan from the beginning.
 */
import type { Agg } from './agg.js';
import { tradingSession } from './calendar.js';
import type { DayMinutes } from './day-data.js';
import { MINUTE_MS, type NanoTime, nyDayOf, nyTime } from './ny-time.js';
import { HISTORY_END_DAY, HISTORY_START_DAY, type SymbolModel } from './prices.js';
import { type MinuteTicks, type QuoteJson, quoteJson, type TradeJson, tradeJson } from './ticks.js';

/** What the streams read from the market (implemented by SyntheticMarket, with caches). */
export interface SeriesSource {
  /** A trading day's minutes; undefined outside trading days and the history. */
  dayMinutes(sm: SymbolModel, day: number): DayMinutes | undefined;
  /** Aggregate of a complete trading day. */
  dayAgg(sm: SymbolModel, day: number): Agg | undefined;
  ticks(sm: SymbolModel, dm: DayMinutes, m: number): MinuteTicks;
}

/** Position of an item: bars use (bucket start ms, 0), trades and quotes (minute start ms, index in minute). */
export interface Cursor {
  key: number;
  sub: number;
}

export interface Entry<T> {
  cursor: Cursor;
  item: T;
}

/** Trading days a page may still touch; keeps one request's work bounded however long the range is. */
export interface Budget {
  days: number;
}

export interface SeriesRange {
  /** Inclusive bounds; `hi` is already capped at `now`. */
  lo: NanoTime;
  hi: NanoTime;
  /** Market now (ms): data after it does not exist yet. */
  now: number;
  desc: boolean;
}

/** First minute start of the history and the end (exclusive) of its last minute. */
export const HISTORY_START_MS = nyTime(HISTORY_START_DAY);
export const HISTORY_END_MS = nyTime(HISTORY_END_DAY + 1);

/**
 * Trades or quotes of one symbol within the range, in the range's direction, starting at `from` (inclusive).
 */
export function* tickSeries(
  src: SeriesSource,
  sm: SymbolModel,
  kind: 'trades' | 'quotes',
  range: SeriesRange,
  from: Cursor | undefined,
  budget: Budget,
): Generator<Entry<TradeJson | QuoteJson>> {
  const { lo, hi, desc } = range;
  let first = Math.max(Math.floor(lo.ms / MINUTE_MS) * MINUTE_MS, HISTORY_START_MS);
  let last = Math.min(Math.floor(hi.ms / MINUTE_MS) * MINUTE_MS, HISTORY_END_MS - MINUTE_MS);
  // Token keys are minute starts; flooring keeps a forged one harmless.
  const fromMinute = from ? Math.floor(from.key / MINUTE_MS) * MINUTE_MS : 0;
  if (from && !desc) first = Math.max(first, fromMinute);
  if (from && desc) last = Math.min(last, fromMinute);
  if (first > last) return;
  const trades = kind === 'trades';
  const firstDay = nyDayOf(first);
  const lastDay = nyDayOf(last);
  const step = desc ? -1 : 1;
  for (let d = desc ? lastDay : firstDay; desc ? d >= firstDay : d <= lastDay; d += step) {
    const s = tradingSession(d);
    if (!s) continue;
    const M = (s.extendedClose - s.extendedOpen) / MINUTE_MS;
    const mFrom = Math.max(0, (first - s.extendedOpen) / MINUTE_MS);
    const mTo = Math.min(M - 1, (last - s.extendedOpen) / MINUTE_MS);
    if (mFrom > mTo) continue;
    const dm = src.dayMinutes(sm, d);
    if (!dm) continue;
    budget.days--;
    for (let m = desc ? mTo : mFrom; desc ? m >= mFrom : m <= mTo; m += step) {
      if (trades ? dm.n[m] === 0 : dm.hasQuote[m] === 0) continue;
      const tk = src.ticks(sm, dm, m);
      const offs = trades ? tk.off : tk.qoff;
      const count = offs.length;
      const loOff = (lo.ms - tk.minuteMs) * 1e6 + lo.ns;
      const hiOff = (hi.ms - tk.minuteMs) * 1e6 + hi.ns;
      const resume = from !== undefined && fromMinute === tk.minuteMs;
      if (!desc) {
        for (let k = resume ? Math.max(0, from.sub) : 0; k < count; k++) {
          const off = offs[k]!;
          if (off < loOff) continue;
          if (off > hiOff) break;
          yield { cursor: { key: tk.minuteMs, sub: k }, item: trades ? tradeJson(sm, tk, k) : quoteJson(sm, tk, k) };
        }
      } else {
        for (let k = resume ? Math.min(from.sub, count - 1) : count - 1; k >= 0; k--) {
          const off = offs[k]!;
          if (off > hiOff) continue;
          if (off < loOff) break;
          yield { cursor: { key: tk.minuteMs, sub: k }, item: trades ? tradeJson(sm, tk, k) : quoteJson(sm, tk, k) };
        }
      }
    }
  }
}
