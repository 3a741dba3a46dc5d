/**
 * The deterministic synthetic market: a MarketModel for the trading engine and the SeriesSource behind the
 * data routes. Every answer is a function of (seed, symbol, time) only; caches are bounded LRUs by entry
 * count and never change a result.
 */
import { z } from 'zod';
import { parseConfig } from '../../core/config.js';
import { CorralError } from '../../core/errors.js';
import type { AssetInfo, MarketModel, Quote, SessionInfo } from '../types.js';
import type { Agg } from './agg.js';
import { emptyAgg } from './agg.js';
import { buildUniverse } from './assets.js';
import { marketSession, tradingSession } from './calendar.js';
import { aggregateDay, type DayMinutes, generateDay } from './day-data.js';
import { LruCache } from './lru.js';
import { MINUTE_MS, nyDayOf } from './ny-time.js';
import { DailyWalk, dayShape, type SymbolModel, tradingOrdinal } from './prices.js';
import type { SeriesSource } from './series.js';
import { LastTickMemo } from './tick-memo.js';
import { generateTicks, type MinuteTicks } from './ticks.js';

/** A symbol outside the market's universe was asked for. */
export class UnknownSymbolError extends CorralError {
  readonly code = 'CORRAL_SIM_UNKNOWN_SYMBOL';
  constructor(readonly symbol: string) {
    super(`unknown symbol: ${symbol}`);
  }
}

export interface SyntheticMarketOptions {
  /** Seed of every random stream: the same seed always gives the same market. */
  seed: number | string;
  /**
   * The universe, exactly and in this order. Known names keep their metadata; others get generic metadata and
   * a hash-derived base price. @default defaultSymbols (about 40 US names, FAKEPACA and the inactive DELSTD)
   */
  symbols?: string[];
  /** Entry bounds of the caches. @default { days: 256, dayAggregates: 100000, minutes: 4096 } (about 10, 10 and 12 MB) */
  cache?: { days?: number; dayAggregates?: number; minutes?: number };
}

const optionsSchema = z.object({
  seed: z.union([z.number().finite(), z.string().min(1).max(256)]),
  symbols: z.array(z.string()).optional(),
  cache: z
    .object({
      days: z.number().int().min(8).max(100_000).optional(),
      dayAggregates: z.number().int().min(8).max(10_000_000).optional(),
      minutes: z.number().int().min(8).max(1_000_000).optional(),
    })
    .optional(),
});

// Key layouts: day numbers stay below 100,000 until 2243 and minute indices below 1,024.
const dayKey = (sm: SymbolModel, day: number): number => sm.index * 100_000 + day;
const NO_TRADES: Agg = emptyAgg();

export class SyntheticMarket implements MarketModel, SeriesSource {
  readonly seed: number | string;
  private readonly models: SymbolModel[];
  private readonly infos: readonly AssetInfo[];
  private readonly bySymbol = new Map<string, SymbolModel>();
  private readonly byIdOrCusip = new Map<string, SymbolModel>();
  private readonly days: LruCache<number, DayMinutes>;
  private readonly aggs: LruCache<number, Agg>;
  private readonly minutes: LruCache<number, MinuteTicks>;
  private readonly tradeMemos: Array<LastTickMemo | undefined> = [];
  private readonly quoteMemos: Array<LastTickMemo | undefined> = [];

  constructor(options: SyntheticMarketOptions) {
    const o = parseConfig(optionsSchema, options, 'market');
    this.seed = o.seed;
    const profiles = buildUniverse(o.seed, o.symbols);
    this.models = profiles.map((profile, index) => {
      const seedKey = `${o.seed}|${profile.info.symbol}`;
      return { index, profile, seedKey, walk: new DailyWalk(seedKey, profile.info.basePrice, profile.dailyVol) };
    });
    this.infos = Object.freeze(profiles.map((p) => Object.freeze({ ...p.info })));
    for (const sm of this.models) {
      this.bySymbol.set(sm.profile.info.symbol, sm);
      this.byIdOrCusip.set(sm.profile.info.id, sm);
      this.byIdOrCusip.set(sm.profile.cusip, sm);
    }
    this.days = new LruCache(o.cache?.days ?? 256);
    this.aggs = new LruCache(o.cache?.dayAggregates ?? 100_000);
    this.minutes = new LruCache(o.cache?.minutes ?? 4096);
  }

  assets(): readonly AssetInfo[] {
    return this.infos;
  }

  /** By symbol (case-sensitive), asset id or CUSIP. */
  asset(symbolOrId: string): AssetInfo | undefined {
    const sm = this.bySymbol.get(symbolOrId) ?? this.byIdOrCusip.get(symbolOrId);
    return sm ? this.infos[sm.index] : undefined;
  }

  /** The internal model of a symbol, or undefined outside the universe. */
  symbolModel(symbol: string): SymbolModel | undefined {
    return this.bySymbol.get(symbol);
  }

  priceAt(symbol: string, t: number): number {
    const sm = this.require(symbol);
    const at = this.memo(sm, false).lookup(t);
    // Before the history's first trade: the level the walk starts from.
    return (at ? at.tk.cents[at.k]! : Math.max(1, Math.round(sm.walk.start(0) * 100))) / 100;
  }

  /** The quote in force at t. Sizes are in shares (the data routes report round lots). */
  quoteAt(symbol: string, t: number): Quote {
    const sm = this.require(symbol);
    const at = this.memo(sm, true).lookup(t);
    if (!at) {
      const mid = Math.max(2, Math.round(sm.walk.start(0) * 100));
      return { bid: (mid - 1) / 100, ask: (mid + 1) / 100, bidSize: 100, askSize: 100 };
    }
    const { tk, k } = at;
    return { bid: tk.bid[k]! / 100, ask: tk.ask[k]! / 100, bidSize: tk.bs[k]! * 100, askSize: tk.as[k]! * 100 };
  }

  /**
   * Shares one engine step can fill at t: about half the expected volume of that minute (a few hundred to a
   * few thousand shares), in round lots; 100 outside the extended session. Pure arithmetic, no generation.
   */
  liquidityAt(symbol: string, t: number): number {
    const p = this.require(symbol).profile;
    const s = tradingSession(nyDayOf(t));
    if (!s || t < s.extendedOpen || t >= s.extendedClose) return 100;
    const shape = dayShape(s.earlyClose);
    const m = Math.floor((t - s.extendedOpen) / MINUTE_MS);
    const regular = m >= shape.regularStart && m < shape.regularEnd;
    // Mean trade size is about 3 lots (see minuteTrades).
    const expected = shape.rate[m]! * p.activity * 3 * (regular ? p.sizeMult * 100 : 100);
    return Math.min(20_000, Math.max(100, Math.round(expected / 200) * 100));
  }

  session(t: number): SessionInfo {
    return marketSession(t);
  }

  dayMinutes(sm: SymbolModel, day: number): DayMinutes | undefined {
    const key = dayKey(sm, day);
    const hit = this.days.get(key);
    if (hit) return hit;
    const dm = this.generate(sm, day);
    if (dm) this.days.set(key, dm);
    return dm;
  }

  dayAgg(sm: SymbolModel, day: number): Agg | undefined {
    const key = dayKey(sm, day);
    let a = this.aggs.get(key);
    if (!a) {
      // Long daily ranges must not flush the minute cache the engine's hot path relies on: do not cache dm.
      const dm = this.days.peek(key) ?? this.generate(sm, day);
      a = (dm && aggregateDay(dm)) || NO_TRADES;
      this.aggs.set(key, a);
    }
    return a.n > 0 ? a : undefined;
  }

  ticks(sm: SymbolModel, dm: DayMinutes, m: number): MinuteTicks {
    const key = dayKey(sm, dm.day) * 1024 + m;
    let tk = this.minutes.get(key);
    if (!tk) {
      tk = generateTicks(sm, dm, m);
      this.minutes.set(key, tk);
    }
    return tk;
  }

  private generate(sm: SymbolModel, day: number): DayMinutes | undefined {
    const ordinal = tradingOrdinal(day);
    const session = ordinal >= 0 ? tradingSession(day) : undefined;
    return session ? generateDay(sm, session, ordinal) : undefined;
  }

  private memo(sm: SymbolModel, quotes: boolean): LastTickMemo {
    const memos = quotes ? this.quoteMemos : this.tradeMemos;
    let m = memos[sm.index];
    if (!m) {
      m = new LastTickMemo(this, sm, quotes);
      memos[sm.index] = m;
    }
    return m;
  }

  private require(symbol: string): SymbolModel {
    const sm = this.bySymbol.get(symbol);
    if (!sm) throw new UnknownSymbolError(symbol);
    return sm;
  }
}

/** Creates the deterministic synthetic market. Throws ConfigError for bad options. */
export function createSyntheticMarket(options: SyntheticMarketOptions): SyntheticMarket {
  return new SyntheticMarket(options);
}
