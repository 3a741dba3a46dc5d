/**
 * "Last X at or before t" lookups: O(1) amortised through the per-day prefix arrays (latest minute with a
 * trade/quote) and the cached minute ticks. Used by priceAt/quoteAt (engine hot path) and the latest and
 * snapshot routes.
 */
import type { BarJson } from './agg.js';
import { barJson } from './agg.js';
import { dayAggAt, minuteBar } from './bars.js';
import { prevTradingDay, tradingSession } from './calendar.js';
import type { DayMinutes } from './day-data.js';
import { formatUtcSeconds, MINUTE_MS, nyDayOf, nyTime } from './ny-time.js';
import { HISTORY_END_DAY, HISTORY_START_DAY, type SymbolModel } from './prices.js';
import type { SeriesSource } from './series.js';
import {
  type MinuteTicks,
  type QuoteJson,
  quoteJson,
  quoteTimeMs,
  type TradeJson,
  tradeJson,
  tradeTimeMs,
} from './ticks.js';

/** A trading day without a single trade is practically impossible; the bound only guards the loop. */
const MAX_DAYS_BACK = 30;

export interface MinuteRef {
  dm: DayMinutes;
  m: number;
}

/** The latest minute starting at or before `t` that has a trade (or, with `quotes`, a quote). */
export function lastMinute(src: SeriesSource, sm: SymbolModel, t: number, quotes: boolean): MinuteRef | undefined {
  let day = Math.min(nyDayOf(t), HISTORY_END_DAY);
  let limit = t;
  for (let i = 0; i < MAX_DAYS_BACK && day >= HISTORY_START_DAY; i++) {
    const s = tradingSession(day);
    if (s && limit >= s.extendedOpen) {
      const dm = src.dayMinutes(sm, day);
      if (dm) {
        const mi = Math.min(dm.shape.minutes - 1, Math.floor((limit - s.extendedOpen) / MINUTE_MS));
        const m = (quotes ? dm.lastQuote : dm.lastTrade)[mi]!;
        if (m >= 0) return { dm, m };
      }
    }
    day = prevTradingDay(day);
    limit = Number.POSITIVE_INFINITY;
  }
  return undefined;
}

export interface TickRef {
  dm: DayMinutes;
  m: number;
  tk: MinuteTicks;
  /** Index of the trade (or quote) in the minute. */
  k: number;
}

function lastTick(src: SeriesSource, sm: SymbolModel, t: number, quotes: boolean): TickRef | undefined {
  const ref = lastMinute(src, sm, t, quotes);
  if (!ref) return undefined;
  const tk = src.ticks(sm, ref.dm, ref.m);
  const count = quotes ? tk.quoteCount : tk.count;
  for (let k = count - 1; k >= 0; k--) {
    if ((quotes ? quoteTimeMs(tk, k) : tradeTimeMs(tk, k)) <= t) return { ...ref, tk, k };
  }
  // `t` falls inside this minute but before its first tick: the previous minute's last one.
  const prev = lastMinute(src, sm, tk.minuteMs - 1, quotes);
  if (!prev) return undefined;
  const ptk = src.ticks(sm, prev.dm, prev.m);
  return { ...prev, tk: ptk, k: (quotes ? ptk.quoteCount : ptk.count) - 1 };
}

export const lastTrade = (src: SeriesSource, sm: SymbolModel, t: number) => lastTick(src, sm, t, false);
export const lastQuote = (src: SeriesSource, sm: SymbolModel, t: number) => lastTick(src, sm, t, true);

/** The latest complete minute bar at `now`. */
export function latestMinuteBar(src: SeriesSource, sm: SymbolModel, now: number): BarJson | undefined {
  const ref = lastMinute(src, sm, now - MINUTE_MS, false);
  return ref ? minuteBar(ref.dm, ref.m) : undefined;
}

export const latestTradeJson = (src: SeriesSource, sm: SymbolModel, now: number): TradeJson | undefined => {
  const r = lastTrade(src, sm, now);
  return r ? tradeJson(sm, r.tk, r.k) : undefined;
};

export const latestQuoteJson = (src: SeriesSource, sm: SymbolModel, now: number): QuoteJson | undefined => {
  const r = lastQuote(src, sm, now);
  return r ? quoteJson(sm, r.tk, r.k) : undefined;
};

export interface SnapshotJson {
  latestTrade: TradeJson | null;
  latestQuote: QuoteJson | null;
  minuteBar: BarJson | null;
  dailyBar: BarJson | null;
  prevDailyBar: BarJson | null;
}

/** Alpaca's snapshot: the daily bar is the latest day with a complete minute (partial while it trades). */
export function snapshot(src: SeriesSource, sm: SymbolModel, now: number): SnapshotJson {
  const ref = lastMinute(src, sm, now - MINUTE_MS, false);
  let dailyBar: BarJson | null = null;
  let prevDailyBar: BarJson | null = null;
  if (ref) {
    const day = ref.dm.day;
    const today = dayAggAt(src, sm, day, now);
    if (today) dailyBar = barJson(formatUtcSeconds(nyTime(day)), today);
    const prev = prevTradingDay(day);
    const before = prev >= HISTORY_START_DAY ? src.dayAgg(sm, prev) : undefined;
    if (before) prevDailyBar = barJson(formatUtcSeconds(nyTime(prev)), before);
  }
  return {
    latestTrade: latestTradeJson(src, sm, now) ?? null,
    latestQuote: latestQuoteJson(src, sm, now) ?? null,
    minuteBar: ref ? minuteBar(ref.dm, ref.m) : null,
    dailyBar,
    prevDailyBar,
  };
}
