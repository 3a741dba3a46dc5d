import { describe, expect, it } from 'vitest';
import { MAX_SYMBOLS } from '../../../src/sim/market/index.js';
import { type Bar, type Quote, setup, type Trade, TUESDAY_10AM, walkPages } from './helpers.js';

const NOW = Date.parse(TUESDAY_10AM); // Tuesday 2024-07-23 10:00 New York

describe('historical routes', () => {
  it('answer multi-symbol and single-symbol shapes', () => {
    const { ok } = setup();
    const multi = ok('/v2/stocks/bars?symbols=MSFT,AAPL&timeframe=1Hour&start=2024-07-22&end=2024-07-22');
    expect(Object.keys(multi)).toEqual(['bars', 'next_page_token']);
    expect(Object.keys(multi.bars as object)).toEqual(['AAPL', 'MSFT']);
    expect(multi.next_page_token).toBeNull();
    const single = ok('/v2/stocks/AAPL/bars?timeframe=1Hour&start=2024-07-22&end=2024-07-22');
    expect(single).toEqual({ bars: (multi.bars as Record<string, Bar[]>).AAPL, symbol: 'AAPL', next_page_token: null });
    const bar = (single.bars as Bar[])[0]!;
    expect(Object.keys(bar)).toEqual(['t', 'o', 'h', 'l', 'c', 'v', 'n', 'vw']);
    expect(bar.t).toBe('2024-07-22T08:00:00Z'); // 04:00 EDT, first pre-market hour
    for (const kind of ['trades', 'quotes']) {
      const m = ok(`/v2/stocks/${kind}?symbols=SPY&start=2024-07-22T14:00:00Z&end=2024-07-22T14:00:10Z`);
      const s = ok(`/v2/stocks/SPY/${kind}?start=2024-07-22T14:00:00Z&end=2024-07-22T14:00:10Z`);
      expect(s).toEqual({ [kind]: (m[kind] as Record<string, unknown[]>).SPY, symbol: 'SPY', next_page_token: null });
      expect(s[kind]).not.toHaveLength(0);
    }
    expect(ok('/v2/stocks/AAPL/trades?start=2024-07-20&end=2024-07-20')).toEqual({
      trades: [],
      symbol: 'AAPL',
      next_page_token: null,
    });
    expect(ok('/v2/stocks/bars?symbols=AAPL&timeframe=1Day&start=2024-07-22&currency=USD').currency).toBe('USD');
  });

  it('default to today so far and never show data after now', () => {
    const { ok, fake } = setup();
    const trades = walkPages(ok, '/v2/stocks/AAPL/trades?limit=10000', 'trades').items.map(([, t]) => t as Trade);
    expect(trades[0]!.t >= '2024-07-23T08:00:00Z').toBe(true);
    expect(trades.at(-1)!.t < '2024-07-23T14:00:00Z').toBe(true);
    const bars = ok<{ bars: Bar[] }>('/v2/stocks/AAPL/bars?timeframe=1Min&limit=10000').bars;
    expect(bars.at(-1)!.t).toBe('2024-07-23T13:59:00Z'); // the minute in progress does not exist yet
    const future = ok<{ trades: Trade[] }>(
      '/v2/stocks/AAPL/trades?start=2024-07-23T13:59:00Z&end=2024-07-24T00:00:00Z&limit=10000',
    );
    expect(future.trades.every((t) => Date.parse(t.t) <= NOW)).toBe(true);
    fake.advance(120_000);
    const later = ok<{ bars: Bar[] }>('/v2/stocks/AAPL/bars?timeframe=1Min&limit=10000').bars;
    expect(later.at(-1)!.t).toBe('2024-07-23T14:01:00Z');
    expect(later.slice(0, bars.length)).toEqual(bars);
    // Today's daily bar grows with the day and is the aggregate of the minutes so far.
    const day = ok<{ bars: Bar[] }>('/v2/stocks/AAPL/bars?timeframe=1Day').bars;
    expect(day).toHaveLength(1);
    expect(day[0]!.t).toBe('2024-07-23T04:00:00Z');
    expect(day[0]!.v).toBe(later.reduce((a, b) => a + b.v, 0));
    expect(day[0]!.c).toBe(later.at(-1)!.c);
  });

  it('read bare dates as New York days and accept offsets', () => {
    const { ok } = setup();
    const day = ok<{ bars: Bar[] }>(
      '/v2/stocks/AAPL/bars?timeframe=1Min&start=2024-07-22&end=2024-07-22&limit=10000',
    ).bars;
    expect(day[0]!.t >= '2024-07-22T08:00:00Z' && day.at(-1)!.t < '2024-07-23T00:00:00Z').toBe(true);
    const viaOffset = ok<{ bars: Bar[] }>(
      `/v2/stocks/AAPL/bars?timeframe=1Min&start=${encodeURIComponent('2024-07-22T00:00:00-04:00')}&end=2024-07-22T23:59:59-04:00&limit=10000`,
    ).bars;
    expect(viaOffset).toEqual(day);
    // Inclusive bounds, to the nanosecond.
    const [first] = ok<{ trades: Trade[] }>('/v2/stocks/AAPL/trades?start=2024-07-22T14:00:00Z&limit=1').trades;
    const exact = ok<{ trades: Trade[] }>(`/v2/stocks/AAPL/trades?start=${first!.t}&end=${first!.t}`).trades;
    expect(exact).toEqual([first]);
    const nanos = Number(first!.t.slice(20, 29));
    expect(nanos).toBeLessThan(999_999_999);
    const justAfter = `${first!.t.slice(0, 20)}${String(nanos + 1).padStart(9, '0')}Z`;
    expect(ok<{ trades: Trade[] }>(`/v2/stocks/AAPL/trades?start=${justAfter}&limit=1`).trades[0]).not.toEqual(first);
  });

  it('are deterministic: same seed, same answers in any request order and cache size; another seed differs', () => {
    const paths = [
      '/v2/stocks/bars?symbols=AAPL,TSLA&timeframe=5Min&start=2024-07-22&end=2024-07-22',
      '/v2/stocks/AAPL/trades?start=2024-07-22T15:00:00Z&end=2024-07-22T15:01:00Z',
      '/v2/stocks/quotes?symbols=GE&start=2024-07-22T15:00:00Z&end=2024-07-22T15:00:30Z',
      '/v2/stocks/snapshots?symbols=AAPL,GE',
      '/v2/stocks/TSLA/bars?timeframe=1Day&start=2023-01-01&end=2023-03-01',
    ];
    const a = setup(TUESDAY_10AM, { seed: 'alpha' });
    const b = setup(TUESDAY_10AM, { seed: 'alpha', cache: { days: 8, dayAggregates: 8, minutes: 8 } });
    const answersA = paths.map((p) => a.get(p));
    const answersB = [...paths]
      .reverse()
      .map((p) => b.get(p))
      .reverse();
    expect(answersB).toEqual(answersA);
    expect(paths.map((p) => a.get(p))).toEqual(answersA);
    const c = setup(TUESDAY_10AM, { seed: 'beta' });
    for (const [i, p] of paths.entries()) expect(c.get(p), p).not.toEqual(answersA[i]);
  });
});

describe('latest and snapshots', () => {
  it('serve the latest bar, trade and quote at now, multi and single', () => {
    const { ok } = setup();
    const trades = ok<{ trades: Record<string, Trade> }>('/v2/stocks/trades/latest?symbols=AAPL,MSFT').trades;
    expect(Object.keys(trades)).toEqual(['AAPL', 'MSFT']);
    const [last] = ok<{ trades: Trade[] }>('/v2/stocks/AAPL/trades?sort=desc&limit=1').trades;
    expect(trades.AAPL).toEqual(last);
    expect(ok('/v2/stocks/AAPL/trades/latest')).toEqual({ symbol: 'AAPL', trade: last });
    const quote = ok<{ quote: Quote }>('/v2/stocks/AAPL/quotes/latest').quote;
    expect(quote).toEqual(ok<{ quotes: Quote[] }>('/v2/stocks/AAPL/quotes?sort=desc&limit=1').quotes[0]);
    expect(ok('/v2/stocks/quotes/latest?symbols=AAPL')).toEqual({ quotes: { AAPL: quote } });
    const bar = ok<{ bar: Bar }>('/v2/stocks/AAPL/bars/latest').bar;
    expect(bar.t).toBe('2024-07-23T13:59:00Z');
    expect(ok('/v2/stocks/bars/latest?symbols=AAPL')).toEqual({ bars: { AAPL: bar } });
    // delayed_sip sees the market 15 minutes ago.
    const delayed = ok<{ trade: Trade }>('/v2/stocks/AAPL/trades/latest?feed=delayed_sip').trade;
    expect(Date.parse(delayed.t)).toBeLessThanOrEqual(NOW - 15 * 60_000);
    expect(ok('/v2/stocks/AAPL/bars/latest?feed=overnight&currency=USD')).toEqual({ symbol: 'AAPL', bar });
  });

  it('serve snapshots with the partial daily bar and the previous day', () => {
    const { ok } = setup();
    const snaps = ok<Record<string, Record<string, Bar & Trade>>>('/v2/stocks/snapshots?symbols=SPY,AAPL');
    expect(Object.keys(snaps)).toEqual(['AAPL', 'SPY']);
    const s = snaps.AAPL!;
    expect(Object.keys(s)).toEqual(['latestTrade', 'latestQuote', 'minuteBar', 'dailyBar', 'prevDailyBar']);
    expect(s.latestTrade).toEqual(ok('/v2/stocks/AAPL/trades/latest').trade);
    expect(s.minuteBar).toEqual(ok('/v2/stocks/AAPL/bars/latest').bar);
    expect(s.dailyBar).toEqual(ok<{ bars: Bar[] }>('/v2/stocks/AAPL/bars?timeframe=1Day').bars[0]);
    expect(s.prevDailyBar).toEqual(
      ok<{ bars: Bar[] }>('/v2/stocks/AAPL/bars?timeframe=1Day&start=2024-07-22&end=2024-07-22').bars[0],
    );
    expect(ok('/v2/stocks/AAPL/snapshot')).toEqual({ symbol: 'AAPL', ...s });
    // On a Sunday the daily bar is Friday's and the previous one Thursday's.
    const sunday = setup('2024-07-28T15:00:00Z').ok<{ dailyBar: Bar; prevDailyBar: Bar }>('/v2/stocks/KO/snapshot');
    expect([sunday.dailyBar.t, sunday.prevDailyBar.t]).toEqual(['2024-07-26T04:00:00Z', '2024-07-25T04:00:00Z']);
  });

  it('handle a market clock before the history', () => {
    const { get, ok, market } = setup('2015-06-01T15:00:00Z');
    expect(ok('/v2/stocks/trades/latest?symbols=AAPL')).toEqual({ trades: {} });
    expect(get('/v2/stocks/AAPL/trades/latest')).toMatchObject({ status: 404, body: { code: 40410000 } });
    expect(ok<Record<string, unknown>>('/v2/stocks/AAPL/snapshot').latestTrade).toBeNull();
    expect(market.priceAt('AAPL', Date.parse('2015-06-01T15:00:00Z'))).toBeGreaterThan(0);
  });
});

describe('bad input is a 400 naming the parameter, never a 500', () => {
  const { get } = setup();
  const cases: Array<[string, RegExp]> = [
    ['/v2/stocks/bars?timeframe=1Min', /^missing symbols$/],
    ['/v2/stocks/bars?symbols=&timeframe=1Min', /^missing symbols$/],
    ['/v2/stocks/trades/latest', /^missing symbols$/],
    ['/v2/stocks/snapshots?symbols=', /^missing symbols$/],
    ['/v2/stocks/bars?symbols=AAPL,,MSFT&timeframe=1Min', /symbols/],
    ['/v2/stocks/bars?symbols=AAPL,NOPE&timeframe=1Min', /NOPE/],
    ['/v2/stocks/NOPE/bars?timeframe=1Min', /NOPE/],
    ['/v2/stocks/aapl/trades/latest', /aapl/],
    ['/v2/stocks/NOPE/snapshot', /NOPE/],
    [
      `/v2/stocks/trades?symbols=${Array.from({ length: MAX_SYMBOLS + 1 }, (_, i) => `S${i}`).join(',')}`,
      /symbols.*at most 100/,
    ],
    ['/v2/stocks/AAPL/bars', /missing timeframe/],
    ...['7Parsecs', '0Min', '60Min', '24Hour', '2Day', '2Week', '5Month', '1min', 'Min', '100T'].map(
      (tf): [string, RegExp] => [`/v2/stocks/AAPL/bars?timeframe=${tf}`, /timeframe/],
    ),
    ...['0', '10001', 'abc', '1.5', '-1', ''].map((l): [string, RegExp] => [
      `/v2/stocks/AAPL/trades?limit=${l}`,
      /limit/,
    ]),
    ['/v2/stocks/AAPL/trades?sort=up', /sort/],
    ['/v2/stocks/AAPL/trades?feed=nasdaq', /feed/],
    ['/v2/stocks/AAPL/trades?feed=delayed_sip', /feed/], // historical feeds only
    ['/v2/stocks/AAPL/trades/latest?feed=bogus', /feed/],
    ['/v2/stocks/AAPL/bars?timeframe=1Min&adjustment=bogus', /adjustment/],
    ['/v2/stocks/AAPL/bars?timeframe=1Min&adjustment=split,bogus', /adjustment/],
    ['/v2/stocks/AAPL/trades?currency=EUR', /currency/],
    ['/v2/stocks/AAPL/quotes/latest?currency=JPY', /currency/],
    ['/v2/stocks/AAPL/trades?asof=soon', /asof/],
    ['/v2/stocks/AAPL/trades?start=yesterday', /^invalid start/],
    ['/v2/stocks/AAPL/trades?end=2024-13-01', /^invalid end/],
    ['/v2/stocks/AAPL/trades?start=2024-07-23T12:00:00Z&end=2024-07-23T11:00:00Z', /^invalid start.*after end/],
    ['/v2/stocks/AAPL/trades?start=2024-07-24', /^invalid start.*after end/], // tomorrow, end defaults to now
    ['/v2/stocks/AAPL/quotes?page_token=%%%', /page token/],
  ];
  for (const [path, message] of cases) {
    it(path.length > 90 ? `${path.slice(0, 90)}...` : path, () => {
      const r = get(path);
      expect(r.status).toBe(400);
      expect((r.body as { code: number }).code).toBe(40010001);
      expect((r.body as { message: string }).message).toMatch(message);
    });
  }

  it('accepts every documented enum value', () => {
    for (const q of [
      'feed=sip',
      'feed=iex',
      'feed=otc',
      'feed=boats',
      'adjustment=raw',
      'adjustment=split,dividend',
      'adjustment=spin-off',
      'adjustment=all',
      'asof=2024-07-01',
      'asof=-',
      'sort=asc',
      'sort=desc',
      'limit=1',
      'limit=10000',
    ])
      expect(get(`/v2/stocks/AAPL/bars?timeframe=1Min&${q}`).status, q).toBe(200);
    for (const tf of [
      '1Min',
      '59T',
      '1Hour',
      '23H',
      '1Day',
      '1D',
      '1Week',
      '1W',
      '1Month',
      '2M',
      '3Month',
      '4M',
      '6Month',
      '12M',
    ])
      expect(get(`/v2/stocks/AAPL/bars?timeframe=${tf}&start=2024-01-01`).status, tf).toBe(200);
  });
});

describe('robustness', () => {
  it('answers any query with 200 or a 4xx, never an exception', async () => {
    const fc = await import('fast-check');
    const { get } = setup();
    const value = fc.oneof(
      fc.constantFrom(
        'AAPL',
        'AAPL,MSFT',
        'NOPE',
        '',
        ',',
        '1Min',
        '1Day',
        '12M',
        '0',
        '10000',
        'asc',
        'desc',
        '-',
        'sip',
        '2024-07-22',
        '2024-07-23T13:00:00Z',
        '2016-01-01',
        '1970-01-01',
        '2199-12-31',
        '2024-07-22T13:00:00.999999999+09:30',
        'MToxMjM0NTY3ODowOjA6MA',
        'USD',
        'all',
        'split,raw',
        'has_options',
        'active',
        'SETTLEMENT',
      ),
      fc.string({ maxLength: 12 }),
    );
    const params = fc.dictionary(
      fc.constantFrom(
        'symbols',
        'timeframe',
        'start',
        'end',
        'limit',
        'sort',
        'feed',
        'page_token',
        'adjustment',
        'asof',
        'currency',
        'status',
        'exchange',
        'attributes',
        'asset_class',
        'date_type',
      ),
      value,
    );
    const path = fc.constantFrom(
      '/v2/stocks/bars',
      '/v2/stocks/trades',
      '/v2/stocks/quotes',
      '/v2/stocks/AAPL/bars',
      '/v2/stocks/SPY/trades',
      '/v2/stocks/F/quotes',
      '/v2/stocks/bars/latest',
      '/v2/stocks/AAPL/quotes/latest',
      '/v2/stocks/snapshots',
      '/v2/stocks/KO/snapshot',
      '/v2/calendar',
      '/v2/assets',
      '/v2/clock',
      '/v2/assets/AAPL',
    );
    fc.assert(
      fc.property(path, params, (p, q) => {
        const r = get(`${p}?${new URLSearchParams(q)}`);
        expect([200, 400, 404, 422]).toContain(r.status);
        if (r.status !== 200) expect(typeof (r.body as { message: string }).message).toBe('string');
      }),
      { numRuns: 400, seed: 42 },
    );
  });
});
