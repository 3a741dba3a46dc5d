/**
 * A small deterministic MarketModel for trading-engine tests: scriptable price timelines, per-symbol
 * liquidity, and either an always-open session or a simple daily calendar (UTC, every day):
 * pre-market 08:00-13:30, regular 13:30-20:00, after-hours 20:00-24:00.
 */
import type { Clock } from '../../../src/core/clock.js';
import type { AssetInfo, MarketModel, Quote, SessionInfo } from '../../../src/sim/types.js';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** FakeClock's default wall time: Tuesday 2024-07-23 14:00 UTC (10:00 New York), inside the regular session. */
export const START = Date.UTC(2024, 6, 23, 14, 0);

export const dayStart = (t: number): number => Math.floor(t / DAY) * DAY;

function makeAsset(symbol: string, n: number, basePrice: number, extra: Partial<AssetInfo> = {}): AssetInfo {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    symbol,
    name: `${symbol} Inc.`,
    exchange: 'NASDAQ',
    class: 'us_equity',
    status: 'active',
    tradable: true,
    marginable: true,
    shortable: true,
    easy_to_borrow: true,
    fractionable: true,
    basePrice,
    ...extra,
  };
}

export const ASSETS: readonly AssetInfo[] = [
  makeAsset('AAPL', 1, 100),
  makeAsset('SPY', 2, 200),
  makeAsset('NOSHORT', 3, 50, { shortable: false, easy_to_borrow: false }),
  makeAsset('WHOLE', 4, 10, { fractionable: false }),
  makeAsset('DEAD', 5, 5, { status: 'inactive', tradable: false }),
  makeAsset('PENNY', 6, 0.5),
];

export type SessionMode = 'open' | 'daily';

export function dailySession(t: number): SessionInfo {
  const d = dayStart(t);
  const pre = d + 8 * HOUR;
  const open = d + 13.5 * HOUR;
  const close = d + 20 * HOUR;
  return {
    isOpen: t >= open && t < close,
    isExtended: (t >= pre && t < open) || t >= close,
    nextOpen: t < open ? open : open + DAY,
    nextClose: t <= close ? close : close + DAY,
  };
}

/** Always open; the "close" (day expiry, day roll) is at UTC midnight. */
export function openSession(t: number): SessionInfo {
  const midnight = dayStart(t) + DAY;
  return { isOpen: true, isExtended: false, nextOpen: t + 1, nextClose: midnight };
}

export class FakeMarket implements MarketModel {
  mode: SessionMode = 'open';
  private readonly timelines = new Map<string, Array<[number, number]>>();
  private readonly liquidityBySymbol = new Map<string, number>();
  /** Shares per step for symbols without their own setting. */
  defaultLiquidity = 1_000_000;
  calls = { priceAt: 0, session: 0 };

  constructor(
    private readonly clock: Clock,
    private readonly list: readonly AssetInfo[] = ASSETS,
  ) {
    for (const a of list) this.timelines.set(a.symbol, [[Number.NEGATIVE_INFINITY, a.basePrice]]);
  }

  /** From `at` (default: the market clock's now) on, the price of `symbol` is `price`. */
  setPrice(symbol: string, price: number, at = this.clock.wallNow()): void {
    const line = this.timelines.get(symbol);
    if (!line) throw new Error(`unknown symbol ${symbol}`);
    line.push([at, price]);
    line.sort((a, b) => a[0] - b[0]);
  }

  setLiquidity(symbol: string, shares: number): void {
    this.liquidityBySymbol.set(symbol, shares);
  }

  assets(): readonly AssetInfo[] {
    return this.list;
  }

  asset(symbolOrId: string): AssetInfo | undefined {
    return this.list.find((a) => a.symbol === symbolOrId || a.id === symbolOrId);
  }

  priceAt(symbol: string, t: number): number {
    this.calls.priceAt++;
    const line = this.timelines.get(symbol);
    if (!line) throw new Error(`unknown symbol ${symbol}`);
    for (let i = line.length - 1; i >= 0; i--) if (line[i]![0] <= t) return line[i]![1];
    return line[0]![1];
  }

  quoteAt(symbol: string, t: number): Quote {
    const p = this.priceAt(symbol, t);
    return { bid: p - 0.01, ask: p + 0.01, bidSize: 100, askSize: 100 };
  }

  liquidityAt(symbol: string): number {
    return this.liquidityBySymbol.get(symbol) ?? this.defaultLiquidity;
  }

  session(t: number): SessionInfo {
    this.calls.session++;
    return this.mode === 'open' ? openSession(t) : dailySession(t);
  }
}
