/**
 * The engine asks priceAt/quoteAt many times per step with slowly moving times. This memo keeps, per symbol,
 * the interval around the last lookup (one minute inside a session, the whole closed period outside) with the
 * last tick before it, so a repeated lookup costs a few comparisons. It only caches: answers equal latest.ts.
 */
import { nextTradingDay, prevTradingDay, tradingSession } from './calendar.js';
import { lastMinute } from './latest.js';
import { MINUTE_MS, nyDayOf } from './ny-time.js';
import type { SymbolModel } from './prices.js';
import type { SeriesSource } from './series.js';
import type { MinuteTicks } from './ticks.js';

export interface TickAt {
  tk: MinuteTicks;
  k: number;
}

export class LastTickMemo {
  private lo = 0;
  private hi = -1;
  /** The interval's own ticks (a session minute with data), scanned per lookup. */
  private tk: MinuteTicks | undefined;
  /** The last tick before the interval. */
  private before: TickAt | undefined;

  constructor(
    private readonly src: SeriesSource,
    private readonly sm: SymbolModel,
    private readonly quotes: boolean,
  ) {}

  /** The last trade (or quote) at or before t; undefined before the history's first one. */
  lookup(t: number): TickAt | undefined {
    if (!(t >= this.lo && t < this.hi)) this.refill(t);
    const tk = this.tk;
    if (tk) {
      const offs = this.quotes ? tk.qoff : tk.off;
      for (let k = offs.length - 1; k >= 0; k--) if (tk.minuteMs + offs[k]! / 1e6 <= t) return { tk, k };
    }
    return this.before;
  }

  private lastBefore(t: number): TickAt | undefined {
    const ref = lastMinute(this.src, this.sm, t, this.quotes);
    if (!ref) return undefined;
    const tk = this.src.ticks(this.sm, ref.dm, ref.m);
    return { tk, k: (this.quotes ? tk.quoteCount : tk.count) - 1 };
  }

  private refill(t: number): void {
    const day = nyDayOf(t);
    const s = tradingSession(day);
    if (s && t >= s.extendedOpen && t < s.extendedClose) {
      const m = Math.floor((t - s.extendedOpen) / MINUTE_MS);
      this.lo = s.extendedOpen + m * MINUTE_MS;
      this.hi = this.lo + MINUTE_MS;
      const dm = this.src.dayMinutes(this.sm, day);
      const has = dm !== undefined && (this.quotes ? dm.hasQuote[m] === 1 : dm.n[m]! > 0);
      this.tk = has ? this.src.ticks(this.sm, dm, m) : undefined;
      // Every tick of earlier minutes lies before this minute's start.
      this.before = this.lastBefore(this.lo - 1);
      return;
    }
    // Closed: nothing trades between one session's end and the next one's start.
    this.lo = s && t >= s.extendedClose ? s.extendedClose : tradingSession(prevTradingDay(day))!.extendedClose;
    this.hi = s && t < s.extendedOpen ? s.extendedOpen : tradingSession(nextTradingDay(day))!.extendedOpen;
    this.tk = undefined;
    this.before = this.lastBefore(t);
  }
}
