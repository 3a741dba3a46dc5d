/**
 * One symbol's trading day at minute resolution: the intraday anchors and every minute bar, built bottom-up
 * from the minute's trades. {@link minuteTrades} is the single source of trade prices and sizes; ticks.ts calls
 * it too, so minute bars and trades agree exactly by construction.
 */
import { SeededRandom } from '../../core/random.js';
import { type Agg, addInterval, emptyAgg } from './agg.js';
import type { TradingSession } from './calendar.js';
import { bridgeAnchors, type DayShape, dayShape, type SymbolModel } from './prices.js';
import { deriveWord, INV_2_32, SplitMix32, triangular, word } from './rng.js';

/** Trades per minute never exceed this (keeps per-minute work and buffers small). */
export const MAX_TRADES_PER_MINUTE = 40;
/** Chance that a minute without trades still has a quote update. */
const EMPTY_MINUTE_QUOTE = 0.6;

export interface DayMinutes {
  readonly symbolIndex: number;
  readonly day: number;
  readonly session: TradingSession;
  readonly shape: DayShape;
  /** Base word of the per-minute random streams. */
  readonly minuteWord: number;
  /** Expected-trade multiplier of this day (symbol activity × day factor). */
  readonly rateScale: number;
  readonly sizeMult: number;
  /** Level at the start of each minute, length minutes + 1. */
  readonly anchors: Float64Array;
  /** Per minute: trade count, o/h/l/c in cents, volume, vw in 1e-4 dollars, quote-update flag. */
  readonly n: Uint8Array;
  readonly o: Int32Array;
  readonly h: Int32Array;
  readonly l: Int32Array;
  readonly c: Int32Array;
  readonly v: Int32Array;
  readonly vw4: Float64Array;
  readonly hasQuote: Uint8Array;
  /** Latest minute ≤ m with a trade (or a quote), -1 if none: O(1) "last trade before t" lookups. */
  readonly lastTrade: Int16Array;
  readonly lastQuote: Int16Array;
}

/** Aggregate of the minute {@link minuteTrades} generated last (cents; `pv` = Σ price·size in cent-shares). */
export const minuteAgg = { o: 0, h: 0, l: 0, c: 0, v: 0, pv: 0 };

/**
 * Prices (cents) and sizes of minute `m`'s trades into the buffers, and their aggregate into {@link minuteAgg};
 * returns the count, or {@link QUOTE_ONLY} for a minute with a quote update but no trade. Prices scatter
 * around the straight line between the minute's two anchors; sizes mix odd lots, round lots and some blocks.
 */
export function minuteTrades(dm: DayMinutes, m: number, cents: Int32Array, sizes: Int32Array): number {
  const r = new SplitMix32(deriveWord(dm.minuteWord, m, 0));
  let n = Math.floor(dm.shape.rate[m]! * dm.rateScale * (0.55 + 0.9 * r.next()) + r.next());
  if (n <= 0) return r.next() < EMPTY_MINUTE_QUOTE ? QUOTE_ONLY : 0;
  if (n > MAX_TRADES_PER_MINUTE) n = MAX_TRADES_PER_MINUTE;
  const a0 = dm.anchors[m]!;
  const step = (dm.anchors[m + 1]! - a0) / n;
  const regular = m >= dm.shape.regularStart && m < dm.shape.regularEnd;
  const noise = a0 * (regular ? 0.00022 : 0.0006);
  const lot = regular ? dm.sizeMult * 100 : 100;
  let hi = 0;
  let lo = Number.MAX_SAFE_INTEGER;
  let vol = 0;
  let pv = 0;
  for (let k = 0; k < n; k++) {
    const pc = Math.max(1, Math.round((a0 + step * (k + 1) + triangular(r.nextWord()) * noise) * 100));
    // One draw picks the size class and, rescaled, the size within it.
    const u = r.nextWord() * INV_2_32;
    let s: number;
    if (u < 0.32) s = 1 + Math.floor(u * 309.375);
    else if (u < 0.92) {
      const x = (u - 0.32) / 0.6;
      s = lot * (1 + Math.floor(x * x * 5));
    } else s = lot * (5 + Math.floor((u - 0.92) * 562.5));
    cents[k] = pc;
    sizes[k] = s;
    if (pc > hi) hi = pc;
    if (pc < lo) lo = pc;
    vol += s;
    pv += pc * s;
  }
  minuteAgg.o = cents[0]!;
  minuteAgg.h = hi;
  minuteAgg.l = lo;
  minuteAgg.c = cents[n - 1]!;
  minuteAgg.v = vol;
  minuteAgg.pv = pv;
  return n;
}

/** {@link minuteTrades}' result for a minute with a quote update and no trade. */
export const QUOTE_ONLY = -1;

const scratchCents = new Int32Array(MAX_TRADES_PER_MINUTE);
const scratchSizes = new Int32Array(MAX_TRADES_PER_MINUTE);

/** Generates a trading day (about 0.1 ms). `ordinal` is the day's index in the history (prices.ts). */
export function generateDay(sm: SymbolModel, session: TradingSession, ordinal: number): DayMinutes {
  const shape = dayShape(session.earlyClose);
  const rng = new SeededRandom(`${sm.seedKey}|${session.day}`);
  const bridgeWord = word(rng);
  const minuteWord = word(rng);
  const dayFactor = 0.75 + 0.5 * rng.next();
  const M = shape.minutes;
  // One allocation per day: every per-minute array is a view of the same buffer.
  const buf = new ArrayBuffer((2 * M + 1) * 8 + 5 * M * 4 + 2 * M * 2 + 2 * M);
  let at = 0;
  const view = <T>(make: (b: ArrayBuffer, offset: number, len: number) => T, len: number, bytes: number): T => {
    const v = make(buf, at, len);
    at += len * bytes;
    return v;
  };
  const f64 = (len: number) => view((b, o, l) => new Float64Array(b, o, l), len, 8);
  const i32 = (len: number) => view((b, o, l) => new Int32Array(b, o, l), len, 4);
  const anchors = f64(M + 1);
  const vw4 = f64(M);
  const o = i32(M);
  const h = i32(M);
  const l = i32(M);
  const c = i32(M);
  const v = i32(M);
  const lastTrade = view((b, off, len) => new Int16Array(b, off, len), M, 2);
  const lastQuote = view((b, off, len) => new Int16Array(b, off, len), M, 2);
  const n = view((b, off, len) => new Uint8Array(b, off, len), M, 1);
  const hasQuote = view((b, off, len) => new Uint8Array(b, off, len), M, 1);
  const p = sm.profile;
  bridgeAnchors(shape, sm.walk.start(ordinal), sm.walk.end(ordinal), p.dailyVol, new SplitMix32(bridgeWord), anchors);
  const dm: DayMinutes = {
    symbolIndex: sm.index,
    day: session.day,
    session,
    shape,
    minuteWord,
    rateScale: p.activity * dayFactor,
    sizeMult: p.sizeMult,
    anchors,
    n,
    o,
    h,
    l,
    c,
    v,
    vw4,
    hasQuote,
    lastTrade,
    lastQuote,
  };
  let lastT = -1;
  let lastQ = -1;
  for (let m = 0; m < M; m++) {
    const count = minuteTrades(dm, m, scratchCents, scratchSizes);
    if (count > 0) {
      const a = minuteAgg;
      n[m] = count;
      o[m] = a.o;
      h[m] = a.h;
      l[m] = a.l;
      c[m] = a.c;
      v[m] = a.v;
      // Σ p·s / v in 1e-4 dollars: pv is in cent-shares, so × 100 / v.
      vw4[m] = Math.round((a.pv * 100) / a.v);
      lastT = m;
      lastQ = m;
      hasQuote[m] = 1;
    } else if (count === QUOTE_ONLY) {
      hasQuote[m] = 1;
      lastQ = m;
    }
    lastTrade[m] = lastT;
    lastQuote[m] = lastQ;
  }
  return dm;
}

/** Aggregate of the day's minutes `[0, upTo)` (all of them by default); undefined when none traded. */
export function aggregateDay(dm: DayMinutes, upTo = dm.shape.minutes): Agg | undefined {
  const a = emptyAgg();
  for (let m = 0; m < upTo; m++) {
    if (dm.n[m] === 0) continue;
    addInterval(a, dm.o[m]!, dm.h[m]!, dm.l[m]!, dm.c[m]!, dm.v[m]!, dm.n[m]!, 0, dm.vw4[m]! * dm.v[m]!, true);
  }
  return a.n > 0 ? a : undefined;
}
