/** The price process's exactness: bars are aggregates of trades, bigger bars of minute bars, quotes bracket trades. */
import { describe, expect, it } from 'vitest';
import { aggregate, type Bar, type Quote, setup, type Trade, walkPages } from './helpers.js';

// Friday after the last session of the range, so every day in it is complete.
const { ok, market } = setup('2024-07-27T15:00:00Z');
const items = <T>(path: string, kind: 'bars' | 'trades' | 'quotes') =>
  walkPages(ok, path, kind).items.map(([, it]) => it as T);
const minuteOf = (t: string) => `${t.slice(0, 16)}:00Z`;
const cents = (p: number) => Math.round(p * 100);

describe('minute bars are the exact aggregates of their trades', () => {
  for (const symbol of ['AAPL', 'SPY', 'FAKEPACA']) {
    it(`${symbol}, a whole day including extended hours`, () => {
      const trades = items<Trade>(`/v2/stocks/${symbol}/trades?start=2024-07-22&end=2024-07-22&limit=10000`, 'trades');
      const bars = items<Bar>(
        `/v2/stocks/${symbol}/bars?timeframe=1Min&start=2024-07-22&end=2024-07-22&limit=10000`,
        'bars',
      );
      expect(trades.length).toBeGreaterThan(500);
      const byMinute = new Map<string, Trade[]>();
      for (const tr of trades) {
        const k = minuteOf(tr.t);
        byMinute.set(k, [...(byMinute.get(k) ?? []), tr]);
      }
      const expected = [...byMinute].map(([t, ts]) => {
        const v = ts.reduce((a, x) => a + x.s, 0);
        const pv = ts.reduce((a, x) => a + cents(x.p) * x.s, 0);
        return {
          t,
          o: ts[0]!.p,
          h: Math.max(...ts.map((x) => x.p)),
          l: Math.min(...ts.map((x) => x.p)),
          c: ts[ts.length - 1]!.p,
          v,
          n: ts.length,
          vw: Math.round((pv * 100) / v) / 1e4,
        };
      });
      expect(bars).toEqual(expected);
      // The vw is Σp·s/v to 4 decimals.
      for (const b of bars) expect(Math.abs(b.vw - expected.find((e) => e.t === b.t)!.vw)).toBe(0);
    });
  }

  it('keeps trade fields well-formed: cents, integer sizes, increasing nanosecond times, tapes, ids', () => {
    const trades = items<Trade>(
      '/v2/stocks/AAPL/trades?start=2024-07-22T13:00:00Z&end=2024-07-22T15:00:00Z&limit=10000',
      'trades',
    );
    const ids = new Set<number>();
    let prev = '';
    for (const tr of trades) {
      expect(Object.keys(tr).sort()).toEqual(['c', 'i', 'p', 's', 't', 'x', 'z']);
      expect(tr.t).toMatch(/^2024-07-22T\d\d:\d\d:\d\d\.\d{9}Z$/);
      expect(tr.t > prev).toBe(true);
      prev = tr.t;
      expect(cents(tr.p) / 100).toBe(tr.p);
      expect(Number.isInteger(tr.s) && tr.s > 0).toBe(true);
      expect(tr.z).toBe('C');
      expect(tr.x).toMatch(/^[A-Z]$/);
      expect(tr.c[0]).toBe('@');
      expect(tr.c.includes('I')).toBe(tr.s < 100);
      ids.add(tr.i);
    }
    expect(ids.size).toBe(trades.length);
    expect(new Set(trades.map((t) => t.x)).size).toBeGreaterThan(4);
  });
});

describe('larger bars are the exact aggregates of their minute bars', () => {
  const minutes = items<Bar>('/v2/stocks/MSFT/bars?timeframe=1Min&start=2024-07-01&end=2024-07-26&limit=10000', 'bars');
  const group = (keyOf: (t: number) => number) => {
    const m = new Map<number, Bar[]>();
    for (const b of minutes) {
      const k = keyOf(Date.parse(b.t));
      m.set(k, [...(m.get(k) ?? []), b]);
    }
    return [...m].map(([k, bs]) => aggregate(bs, `${new Date(k).toISOString().slice(0, 19)}Z`));
  };
  const epochAligned = (len: number) => (t: number) => t - (t % len);
  const nyMidnight = (t: number) => {
    const d = new Date(t - 4 * 3_600_000); // July: EDT
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 4);
  };

  it.each([
    ['5Min', 5 * 60_000],
    ['7T', 7 * 60_000],
    ['1Hour', 3_600_000],
    ['2H', 7_200_000],
    ['12Hour', 12 * 3_600_000], // buckets straddle two New York days
  ])('%s', (tf, len) => {
    const bars = items<Bar>(`/v2/stocks/MSFT/bars?timeframe=${tf}&start=2024-07-01&end=2024-07-26&limit=10000`, 'bars');
    // Bucket starts inside [start, end]: drop the bucket beginning before July 1.
    const start = Date.parse('2024-07-01T04:00:00Z');
    expect(bars).toEqual(group(epochAligned(len)).filter((b) => Date.parse(b.t) >= start));
    expect(bars.every((b) => Date.parse(b.t) % len === 0)).toBe(true);
  });

  it('1Day and 1Week bars sit at New York midnight and aggregate the extended session', () => {
    const days = items<Bar>('/v2/stocks/MSFT/bars?timeframe=1Day&start=2024-07-01&end=2024-07-26', 'bars');
    expect(days).toEqual(group(nyMidnight));
    expect(days.map((b) => b.t.slice(0, 10))).not.toContain('2024-07-04');
    expect(days.every((b) => b.t.endsWith('T04:00:00Z'))).toBe(true);
    const weeks = items<Bar>('/v2/stocks/MSFT/bars?timeframe=1Week&start=2024-07-01&end=2024-07-26', 'bars');
    const monday = (t: number) => {
      const m = nyMidnight(t);
      return m - ((new Date(m).getUTCDay() + 6) % 7) * 86_400_000;
    };
    expect(weeks).toEqual(group(monday));
    expect(weeks.map((w) => w.t)).toEqual([
      '2024-07-01T04:00:00Z',
      '2024-07-08T04:00:00Z',
      '2024-07-15T04:00:00Z',
      '2024-07-22T04:00:00Z',
    ]);
  });

  it('monthly bars equal the aggregate of their daily bars, to the last digit of vw', () => {
    const days = items<Bar>('/v2/stocks/MSFT/bars?timeframe=1Day&start=2024-01-01&end=2024-06-30&limit=10000', 'bars');
    const quarters = items<Bar>('/v2/stocks/MSFT/bars?timeframe=3Month&start=2024-01-01&end=2024-06-30', 'bars');
    expect(quarters.map((q) => q.t)).toEqual(['2024-01-01T05:00:00Z', '2024-04-01T04:00:00Z']);
    const q1 = days.filter((d) => d.t < '2024-04');
    const q1Minutes = items<Bar>(
      '/v2/stocks/MSFT/bars?timeframe=1Min&start=2024-01-01&end=2024-03-31&limit=10000',
      'bars',
    );
    expect(quarters[0]).toEqual(aggregate(q1Minutes, '2024-01-01T05:00:00Z'));
    expect({ ...quarters[0], vw: 0 }).toEqual({ ...aggregate(q1, quarters[0]!.t), vw: 0 });
  });
});

describe('quotes', () => {
  it('bracket every trade: the quote in force at a trade has bid ≤ price ≤ ask', () => {
    const range = 'start=2024-07-22&end=2024-07-22&limit=10000';
    for (const symbol of ['NVDA', 'DIA']) {
      const trades = items<Trade>(`/v2/stocks/${symbol}/trades?${range}`, 'trades');
      const quotes = items<Quote>(`/v2/stocks/${symbol}/quotes?${range}`, 'quotes');
      expect(quotes.length).toBeGreaterThan(trades.length);
      let q = -1;
      for (const tr of trades) {
        while (q + 1 < quotes.length && quotes[q + 1]!.t <= tr.t) q++;
        const inForce = quotes[q]!;
        expect(inForce.bp, `${symbol} ${tr.t}`).toBeLessThanOrEqual(tr.p);
        expect(inForce.ap, `${symbol} ${tr.t}`).toBeGreaterThanOrEqual(tr.p);
      }
      for (const qt of quotes) {
        expect(Object.keys(qt).sort()).toEqual(['ap', 'as', 'ax', 'bp', 'bs', 'bx', 'c', 't', 'z']);
        expect(qt.bp).toBeLessThan(qt.ap);
        expect(qt.bp).toBeGreaterThan(0);
        expect(Number.isInteger(qt.as) && qt.as >= 1 && Number.isInteger(qt.bs) && qt.bs >= 1).toBe(true);
      }
    }
  });
});

describe('the MarketModel view agrees with the data routes', () => {
  it('priceAt is the last trade at or before t; quoteAt the quote in force', () => {
    const trades = items<Trade>(
      '/v2/stocks/AAPL/trades?start=2024-07-22T13:29:00Z&end=2024-07-22T13:41:00Z&limit=10000',
      'trades',
    );
    const quotes = items<Quote>(
      '/v2/stocks/AAPL/quotes?start=2024-07-22T13:29:00Z&end=2024-07-22T13:41:00Z&limit=10000',
      'quotes',
    );
    const t0 = Date.parse('2024-07-22T13:30:00Z');
    for (let t = t0; t < t0 + 10 * 60_000; t += 1234.5) {
      const iso = new Date(Math.floor(t)).toISOString().slice(0, 23);
      const last = trades.filter((x) => x.t.slice(0, 23) <= iso).at(-1)!;
      // Only compare away from millisecond ties (tick timestamps carry nanoseconds).
      if ([...trades, ...quotes].some((x) => x.t.slice(0, 23) === iso)) continue;
      expect(market.priceAt('AAPL', Math.floor(t))).toBe(last.p);
      const q = quotes.filter((x) => x.t.slice(0, 23) <= iso).at(-1)!;
      expect(market.quoteAt('AAPL', Math.floor(t))).toEqual({
        bid: q.bp,
        ask: q.ap,
        bidSize: q.bs * 100,
        askSize: q.as * 100,
      });
    }
  });

  it('priceAt outside trading hours is the previous session’s last trade', () => {
    const fridayLast = items<Trade>(
      '/v2/stocks/AAPL/trades?start=2024-07-19&end=2024-07-19&sort=desc&limit=1',
      'trades',
    );
    expect(
      walkPages(ok, '/v2/stocks/AAPL/trades?start=2024-07-19T23:59:00Z&end=2024-07-22T07:59:59Z', 'trades').items,
    ).toEqual([]);
    for (const t of ['2024-07-20T12:00:00Z', '2024-07-21T23:00:00Z', '2024-07-22T07:59:59.999Z'])
      expect(market.priceAt('AAPL', Date.parse(t))).toBe(fridayLast[0]!.p);
  });
});

describe('magnitudes', () => {
  it('walks log-normally with about 1-3 % daily volatility, stays near the base price, and is busiest at the open', () => {
    for (const [symbol, lo, hi] of [
      ['AAPL', 0.012, 0.022],
      ['SPY', 0.007, 0.015],
      ['TSLA', 0.022, 0.04],
    ] as const) {
      const days = items<Bar>(
        `/v2/stocks/${symbol}/bars?timeframe=1Day&start=2021-07-01&end=2024-06-30&limit=10000`,
        'bars',
      );
      expect(days.length).toBeGreaterThan(750);
      const r = days.slice(1).map((d, i) => Math.log(d.c / days[i]!.c));
      const sd = Math.sqrt(r.reduce((a, x) => a + x * x, 0) / r.length);
      expect(sd, symbol).toBeGreaterThan(lo);
      expect(sd, symbol).toBeLessThan(hi);
      const base = market.asset(symbol)!.basePrice;
      for (const d of days) {
        expect(d.l).toBeGreaterThanOrEqual(base * 0.24);
        expect(d.h).toBeLessThanOrEqual(base * 4.1);
        expect(d.l).toBeLessThanOrEqual(Math.min(d.o, d.c));
        expect(d.h).toBeGreaterThanOrEqual(Math.max(d.o, d.c));
      }
    }
    const minutes = items<Bar>(
      '/v2/stocks/AAPL/bars?timeframe=1Min&start=2024-07-15&end=2024-07-19&limit=10000',
      'bars',
    );
    // Volume in a half hour, by UTC hh:mm (July: New York is UTC-4).
    const volume = (from: string, to: string) =>
      minutes.filter((b) => b.t.slice(11, 16) >= from && b.t.slice(11, 16) < to).reduce((a, b) => a + b.v, 0);
    const open = volume('13:30', '14:00');
    const midday = volume('16:30', '17:00');
    const premarket = volume('10:00', '10:30');
    expect(open).toBeGreaterThan(2 * midday);
    expect(midday).toBeGreaterThan(2 * premarket);
    expect(Math.max(...minutes.map((b) => b.n))).toBeLessThanOrEqual(40);
  });

  it('has no trades overnight, on weekends and holidays, after an early close, or before 2016', () => {
    const none = (q: string) => expect(walkPages(ok, `/v2/stocks/SPY/trades?${q}`, 'trades').items, q).toEqual([]);
    none('start=2024-07-04&end=2024-07-04');
    none('start=2024-07-20&end=2024-07-21');
    none('start=2024-07-23T00:00:00Z&end=2024-07-23T07:59:59.999999999Z');
    none('start=2024-11-29T22:00:00Z&end=2024-11-30T00:00:00Z'); // 17:00-19:00 EST on an early-close day
    none('start=2015-12-01&end=2015-12-31');
    const first = items<Trade>('/v2/stocks/SPY/trades?start=2015-12-01&end=2016-01-04&limit=1', 'trades');
    expect(first[0]!.t >= '2016-01-04T09:00:00Z').toBe(true);
    expect(
      items<Bar>('/v2/stocks/SPY/bars?timeframe=1Day&start=2010-01-01&end=2016-01-05', 'bars').map((b) => b.t),
    ).toEqual(['2016-01-04T05:00:00Z', '2016-01-05T05:00:00Z']);
  });
});
