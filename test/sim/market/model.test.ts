import { describe, expect, it } from 'vitest';
import { ScaledClock } from '../../../src/core/clock.js';
import { ConfigError } from '../../../src/core/errors.js';
import { FakeClock } from '../../../src/core/fake-clock.js';
import {
  createSyntheticMarket,
  defaultSymbols,
  marketDataRoutes,
  marketSession,
  UnknownSymbolError,
} from '../../../src/sim/market/index.js';
import type { MarketModel, SimDeps } from '../../../src/sim/types.js';

const at = (iso: string) => Date.parse(iso);

describe('createSyntheticMarket', () => {
  it('validates its options with ConfigError naming the field', () => {
    const field = (o: unknown) => {
      try {
        createSyntheticMarket(o as never);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as ConfigError).field;
      }
      return 'no error';
    };
    expect(field({})).toBe('market.seed');
    expect(field({ seed: Number.NaN })).toBe('market.seed');
    expect(field({ seed: 1, symbols: 'AAPL' })).toBe('market.symbols');
    expect(field({ seed: 1, symbols: [] })).toBe('symbols');
    expect(field({ seed: 1, symbols: ['AAPL', 'aapl'] })).toBe('symbols[1]');
    expect(field({ seed: 1, symbols: ['AAPL', 'AAPL'] })).toBe('symbols[1]');
    expect(field({ seed: 1, cache: { days: 0 } })).toBe('market.cache.days');
  });

  it('has the default universe: ~40 names, FAKEPACA and an inactive DELSTD', () => {
    const m = createSyntheticMarket({ seed: 3 });
    expect(m.assets().map((a) => a.symbol)).toEqual(defaultSymbols);
    expect(defaultSymbols).toEqual(
      expect.arrayContaining(['AAPL', 'SPY', 'QQQ', 'FAKEPACA', 'DELSTD', 'F', 'T', 'V', 'MA']),
    );
    expect(defaultSymbols.length).toBeGreaterThanOrEqual(40);
    expect(m.asset('DELSTD')).toMatchObject({ status: 'inactive', tradable: false });
    expect(m.asset('SPY')).toMatchObject({ exchange: 'ARCA', basePrice: 550 });
    expect(m.asset('aapl')).toBeUndefined();
    expect(m.asset(m.asset('MSFT')!.id)!.symbol).toBe('MSFT');
    expect(Object.isFrozen(m.assets()[0])).toBe(true);
  });

  it('derives asset ids from the seed and symbol', () => {
    const a = createSyntheticMarket({ seed: 3 });
    const b = createSyntheticMarket({ seed: 3, symbols: ['MSFT', 'AAPL'] });
    const c = createSyntheticMarket({ seed: 4 });
    expect(b.asset('AAPL')!.id).toBe(a.asset('AAPL')!.id);
    expect(c.asset('AAPL')!.id).not.toBe(a.asset('AAPL')!.id);
    expect(new Set(a.assets().map((x) => x.id)).size).toBe(a.assets().length);
    // A symbol's data does not depend on the rest of the universe.
    const t = at('2024-07-23T15:00:00Z');
    expect(b.priceAt('AAPL', t)).toBe(a.priceAt('AAPL', t));
    expect(b.quoteAt('AAPL', t)).toEqual(a.quoteAt('AAPL', t));
  });

  it('restricts or extends the universe with `symbols`; unknown names get generic metadata', () => {
    const m = createSyntheticMarket({ seed: 'x', symbols: ['AAPL', 'ZZZT', 'BRK.B'] });
    expect(m.assets().map((a) => a.symbol)).toEqual(['AAPL', 'ZZZT', 'BRK.B']);
    const z = m.asset('ZZZT')!;
    expect(z).toMatchObject({ class: 'us_equity', status: 'active', tradable: true });
    expect(z.basePrice).toBeGreaterThanOrEqual(10);
    expect(z.basePrice).toBeLessThanOrEqual(300);
    expect(createSyntheticMarket({ seed: 'y', symbols: ['ZZZT'] }).asset('ZZZT')!.basePrice).toBe(z.basePrice);
    expect(m.asset('MSFT')).toBeUndefined();
    expect(m.priceAt('ZZZT', at('2024-07-23T14:00:00Z'))).toBeGreaterThan(0);
  });
});

describe('the MarketModel surface', () => {
  const m: MarketModel = createSyntheticMarket({ seed: 5 });

  it('prices in cents near the base, with bid ≤ ask', () => {
    for (const symbol of ['AAPL', 'F', 'COST', 'FAKEPACA']) {
      const base = m.asset(symbol)!.basePrice;
      for (let t = at('2024-07-22T08:00:00Z'); t < at('2024-07-23T08:00:00Z'); t += 997_000) {
        const p = m.priceAt(symbol, t);
        expect(Math.round(p * 100) / 100).toBe(p);
        expect(p).toBeGreaterThan(base * 0.25);
        expect(p).toBeLessThan(base * 4);
        const q = m.quoteAt(symbol, t);
        expect(q.bid).toBeLessThan(q.ask);
        expect(q.bidSize % 100).toBe(0);
        expect(q.askSize).toBeGreaterThanOrEqual(100);
      }
    }
  });

  it('answers the same for any call order, and before the history', () => {
    const times = Array.from({ length: 200 }, (_, i) => at('2024-07-22T13:00:00Z') + i * 61_111);
    const fwd = times.map((t) => m.priceAt('NFLX', t));
    const other = createSyntheticMarket({ seed: 5 });
    const back = [...times]
      .reverse()
      .map((t) => other.priceAt('NFLX', t))
      .reverse();
    expect(back).toEqual(fwd);
    expect(m.priceAt('NFLX', at('2010-01-01T15:00:00Z'))).toBe(m.priceAt('NFLX', at('2015-12-31T15:00:00Z')));
    expect(m.quoteAt('NFLX', at('2010-01-01T15:00:00Z')).bid).toBeGreaterThan(0);
    expect(m.priceAt('NFLX', at('2150-01-01T15:00:00Z'))).toBeGreaterThan(0);
  });

  it('offers a few hundred to a few thousand shares per step in session, 100 when closed', () => {
    const midday = m.liquidityAt('AAPL', at('2024-07-23T17:00:00Z'));
    expect(midday).toBeGreaterThanOrEqual(500);
    expect(midday).toBeLessThanOrEqual(10_000);
    expect(m.liquidityAt('AAPL', at('2024-07-23T13:31:00Z'))).toBeGreaterThan(midday);
    expect(m.liquidityAt('FAKEPACA', at('2024-07-23T17:00:00Z'))).toBeGreaterThanOrEqual(100);
    expect(m.liquidityAt('AAPL', at('2024-07-23T09:00:00Z'))).toBeGreaterThanOrEqual(100);
    expect(m.liquidityAt('AAPL', at('2024-07-21T17:00:00Z'))).toBe(100);
    expect(m.liquidityAt('AAPL', at('2024-07-23T17:00:00Z')) % 100).toBe(0);
  });

  it('reports sessions like the calendar', () => {
    const t = at('2024-07-23T14:00:00Z');
    expect(m.session(t)).toEqual(marketSession(t));
  });

  it('throws a typed error for symbols outside the universe', () => {
    expect(() => m.priceAt('NOPE', 0)).toThrow(UnknownSymbolError);
    expect(() => m.quoteAt('NOPE', 0)).toThrow(/unknown symbol: NOPE/);
    try {
      m.liquidityAt('NOPE', 0);
    } catch (e) {
      expect((e as UnknownSymbolError).code).toBe('CORRAL_SIM_UNKNOWN_SYMBOL');
    }
  });

  it('needs a synthetic market for the data routes', () => {
    const fake = new FakeClock();
    const other: MarketModel = { ...m, assets: () => m.assets() } as MarketModel;
    const deps = { clock: fake, marketClock: new ScaledClock(fake, 1, 0), market: other } as unknown as SimDeps;
    expect(() => marketDataRoutes(deps)).toThrow(ConfigError);
  });
});
