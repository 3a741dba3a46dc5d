/**
 * Price levels of the synthetic process, top level of a top-down construction:
 *
 *   daily walk (per symbol, sequential from 2016)  →  anchors at 04:00 and at the session end of every trading day
 *   intraday bridge (per symbol and day)           →  one anchor per minute, pinned to the two daily anchors
 *   minute trades (per symbol and minute, day-data.ts)  →  prices scattered around the line between two anchors
 *
 * Bars are then built bottom-up from the trades (exact aggregates), so nothing has to be reconciled.
 */
import { randomNormal, SeededRandom } from '../../core/random.js';
import type { AssetProfile } from './assets.js';
import { isTradingDay } from './calendar.js';
import { civilFromDays, daysFromCivil } from './ny-time.js';
import { type SplitMix32, triangular } from './rng.js';

/** The synthetic history: trades exist on trading days from 2016-01-01 through 2099-12-31. */
export const HISTORY_START_DAY = daysFromCivil(2016, 1, 1);
export const HISTORY_END_DAY = daysFromCivil(2099, 12, 31);
const FIRST_YEAR = 2016;

/** One symbol of a market: its asset, seed key and daily walk. */
export interface SymbolModel {
  readonly index: number;
  readonly profile: AssetProfile;
  /** `${seed}|${symbol}`: the root of every random stream of this symbol. */
  readonly seedKey: string;
  readonly walk: DailyWalk;
}

interface YearOrdinals {
  /** Trading days before this year (since 2016-01-01). */
  base: number;
  count: number;
  /** Per day of year: ordinal within the year, or -1. */
  ord: Int16Array;
}
const years: YearOrdinals[] = [];

function yearOrdinals(y: number): YearOrdinals {
  while (years.length <= y - FIRST_YEAR) {
    const yy = FIRST_YEAR + years.length;
    const prev = years[years.length - 1];
    const first = daysFromCivil(yy, 1, 1);
    const ord = new Int16Array(daysFromCivil(yy + 1, 1, 1) - first).fill(-1);
    let count = 0;
    for (let i = 0; i < ord.length; i++) if (isTradingDay(first + i)) ord[i] = count++;
    years.push({ base: prev ? prev.base + prev.count : 0, count, ord });
  }
  return years[y - FIRST_YEAR]!;
}

/** Index of a trading day in the history (0 = the first trading day of 2016), or -1. */
export function tradingOrdinal(day: number): number {
  if (day < HISTORY_START_DAY || day > HISTORY_END_DAY) return -1;
  const y = civilFromDays(day).y;
  const t = yearOrdinals(y);
  const o = t.ord[day - daysFromCivil(y, 1, 1)]!;
  return o < 0 ? -1 : t.base + o;
}

/** Daily mean reversion of the log price towards the base price (keeps decades of history plausible). */
const REVERSION = 0.01;
/** Overnight gap volatility as a fraction of the daily volatility. */
const GAP_FRACTION = 0.3;

/**
 * Log-normal daily walk with slow mean reversion: for each trading day a start level (04:00, after an
 * overnight gap) and an end level (session end). Sequential, so it is extended lazily and kept per symbol
 * (at most ~21,000 days x 16 bytes).
 */
export class DailyWalk {
  private starts = new Float64Array(512);
  private ends = new Float64Array(512);
  private count = 0;
  private readonly rng: SeededRandom;
  private readonly logBase: number;

  constructor(
    seedKey: string,
    private readonly base: number,
    private readonly vol: number,
  ) {
    this.rng = new SeededRandom(`${seedKey}|walk`);
    this.logBase = Math.log(base);
  }

  /** Level at 04:00 New York of the trading day with this ordinal. */
  start(ordinal: number): number {
    this.extend(ordinal);
    return this.starts[ordinal]!;
  }

  /** Level at the end of the extended session of that day. */
  end(ordinal: number): number {
    this.extend(ordinal);
    return this.ends[ordinal]!;
  }

  private extend(ordinal: number): void {
    if (ordinal < this.count) return;
    if (ordinal >= this.starts.length) {
      const size = Math.max(ordinal + 1, this.starts.length * 2);
      const s = new Float64Array(size);
      const e = new Float64Array(size);
      s.set(this.starts);
      e.set(this.ends);
      this.starts = s;
      this.ends = e;
    }
    for (let k = this.count; k <= ordinal; k++) {
      const prevEnd = k === 0 ? this.base * Math.exp(0.12 * randomNormal(this.rng)) : this.ends[k - 1]!;
      const start = this.clamp(prevEnd * Math.exp(GAP_FRACTION * this.vol * randomNormal(this.rng)));
      const drift = -REVERSION * (Math.log(start) - this.logBase) - 0.5 * this.vol * this.vol;
      this.starts[k] = start;
      this.ends[k] = this.clamp(start * Math.exp(drift + this.vol * randomNormal(this.rng)));
    }
    this.count = ordinal + 1;
  }

  private clamp(level: number): number {
    return Math.min(this.base * 4, Math.max(this.base * 0.25, level));
  }
}

/** The intraday profile of one kind of trading day (regular, or early close). */
export interface DayShape {
  /** Minutes in the extended session (960, or 780 on early-close days). */
  readonly minutes: number;
  /** Minute indices (from 04:00) of the regular open and close. */
  readonly regularStart: number;
  readonly regularEnd: number;
  /** Expected trades per minute before the symbol's and the day's activity factors (U-shaped). */
  readonly rate: Float64Array;
  /** Standard deviation weight of each minute's price move (bigger after the open). */
  readonly moveSd: Float64Array;
  /** Cumulative variance weight, length minutes + 1. */
  readonly cumVar: Float64Array;
}

function makeShape(minutes: number, regularStart: number, regularEnd: number): DayShape {
  const rate = new Float64Array(minutes);
  const moveSd = new Float64Array(minutes);
  const cumVar = new Float64Array(minutes + 1);
  const span = regularEnd - regularStart;
  for (let m = 0; m < minutes; m++) {
    let r: number;
    let v: number;
    if (m < regularStart) {
      r = 0.2 + 1.5 * (m / regularStart) ** 3;
      v = 0.15;
    } else if (m < regularEnd) {
      const x = (m - regularStart) / span;
      r = 5 + 16 * Math.exp(-10 * x) + 10 * Math.exp(-12 * (1 - x));
      v = 1 + 2 * Math.exp(-8 * x) + 0.5 * Math.exp(-8 * (1 - x));
    } else {
      r = 0.25 + 2 * Math.exp(-(m - regularEnd) / 25);
      v = 0.15;
    }
    rate[m] = r;
    moveSd[m] = Math.sqrt(v);
    cumVar[m + 1] = cumVar[m]! + v;
  }
  return { minutes, regularStart, regularEnd, rate, moveSd, cumVar };
}

const REGULAR_SHAPE = makeShape(960, 330, 720);
const EARLY_SHAPE = makeShape(780, 330, 540);

export function dayShape(earlyClose: boolean): DayShape {
  return earlyClose ? EARLY_SHAPE : REGULAR_SHAPE;
}

/**
 * Fills `out[0..minutes]` with a geometric Brownian bridge from `start` to `end`: out[m] is the level at the
 * start of minute m. The bridge's variance peaks at a quarter of the daily variance around midday.
 */
export function bridgeAnchors(
  shape: DayShape,
  start: number,
  end: number,
  dailyVol: number,
  rng: SplitMix32,
  out: Float64Array,
): void {
  const n = shape.minutes;
  const total = shape.cumVar[n]!;
  const sigma = dailyVol / Math.sqrt(total);
  let w = 0;
  out[0] = 0;
  for (let m = 0; m < n; m++) {
    w += triangular(rng.nextWord()) * shape.moveSd[m]! * sigma;
    out[m + 1] = w;
  }
  const ls = Math.log(start);
  const span = Math.log(end) - ls;
  for (let m = 0; m <= n; m++) {
    const f = shape.cumVar[m]! / total;
    out[m] = Math.exp(ls + f * span + out[m]! - f * w);
  }
}
