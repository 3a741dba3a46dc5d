/** Builds SimDeps around a FakeClock-driven market clock and a caller over the market's routes. */
import { ScaledClock } from '../../../src/core/clock.js';
import { FakeClock } from '../../../src/core/fake-clock.js';
import type { BarJson } from '../../../src/sim/market/agg.js';
import {
  createSyntheticMarket,
  marketDataRoutes,
  type SyntheticMarketOptions,
  tradingInfoRoutes,
} from '../../../src/sim/market/index.js';
import type { SimDeps, SimResponse } from '../../../src/sim/types.js';
import { makeCaller } from '../harness.js';

export const TUESDAY_10AM = '2024-07-23T14:00:00Z';

/** Alpaca's bar object, as the simulator defines it. */
export type Bar = BarJson;
export interface Trade {
  t: string;
  x: string;
  p: number;
  s: number;
  c: string[];
  i: number;
  z: string;
}
export interface Quote {
  t: string;
  ax: string;
  ap: number;
  as: number;
  bx: string;
  bp: number;
  bs: number;
  c: string[];
  z: string;
}

export function setup(start: string = TUESDAY_10AM, options: Partial<SyntheticMarketOptions> = {}) {
  const fake = new FakeClock();
  const market = createSyntheticMarket({ seed: 1, ...options });
  const marketClock = new ScaledClock(fake, 1, Date.parse(start));
  const deps: SimDeps = {
    clock: fake,
    marketClock,
    timeScale: 1,
    market,
    random: {} as never,
    tradeEvents: {} as never,
    fillLatencyMs: 0,
  };
  const call = makeCaller([...marketDataRoutes(deps), ...tradingInfoRoutes(deps)]);
  const get = (path: string): SimResponse => call('GET', path);
  /** GET that must succeed; returns the body. */
  const ok = <T = Record<string, unknown>>(path: string): T => {
    const r = get(path);
    if (r.status !== 200) throw new Error(`${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as T;
  };
  return { fake, market, deps, get, ok, now: () => marketClock.wallNow() };
}

/** Follows next_page_token to the end; returns every (symbol, item) in order and the page count. */
export function walkPages(
  ok: (path: string) => Record<string, unknown>,
  path: string,
  kind: 'bars' | 'trades' | 'quotes',
  maxPages = 100_000,
): { items: Array<[string, unknown]>; pages: number } {
  const items: Array<[string, unknown]> = [];
  let token: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const body = ok(token ? `${path}${sep}page_token=${encodeURIComponent(token)}` : path);
    pages++;
    const data = body[kind];
    if (Array.isArray(data)) for (const it of data) items.push([body.symbol as string, it]);
    else
      for (const [sym, list] of Object.entries(data as Record<string, unknown[]>))
        for (const it of list) items.push([sym, it]);
    token = body.next_page_token as string | null;
  } while (token !== null && pages < maxPages);
  return { items, pages };
}

/** Minute-bar aggregation the way the spec defines it, with BigInt for Σ vw·v. */
export function aggregate(bars: readonly Bar[], t: string): Bar {
  let s = 0n;
  let v = 0;
  let n = 0;
  for (const b of bars) {
    s += BigInt(Math.round(b.vw * 1e4)) * BigInt(b.v);
    v += b.v;
    n += b.n;
  }
  return {
    t,
    o: bars[0]!.o,
    h: Math.max(...bars.map((b) => b.h)),
    l: Math.min(...bars.map((b) => b.l)),
    c: bars[bars.length - 1]!.c,
    v,
    n,
    vw: Math.round(Number(s) / v) / 1e4,
  };
}
