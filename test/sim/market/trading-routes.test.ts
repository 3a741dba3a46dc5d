import { describe, expect, it } from 'vitest';
import { MAX_CALENDAR_DAYS } from '../../../src/sim/market/index.js';
import { setup } from './helpers.js';

describe('GET /v2/clock', () => {
  it('reports market time in New York with offsets, moving with the market clock', () => {
    const { ok, fake } = setup('2024-07-23T14:00:00.123Z');
    expect(ok('/v2/clock')).toEqual({
      timestamp: '2024-07-23T10:00:00.123-04:00',
      is_open: true,
      next_open: '2024-07-24T09:30:00-04:00',
      next_close: '2024-07-23T16:00:00-04:00',
    });
    fake.advance(6 * 3_600_000);
    expect(ok('/v2/clock')).toEqual({
      timestamp: '2024-07-23T16:00:00.123-04:00',
      is_open: false,
      next_open: '2024-07-24T09:30:00-04:00',
      next_close: '2024-07-24T16:00:00-04:00',
    });
  });

  it('skips weekends and holidays', () => {
    expect(setup('2024-12-24T19:00:00Z').ok('/v2/clock')).toEqual({
      timestamp: '2024-12-24T14:00:00.000-05:00',
      is_open: false,
      next_open: '2024-12-26T09:30:00-05:00',
      next_close: '2024-12-26T16:00:00-05:00',
    });
    expect(setup('2025-04-19T12:00:00Z').ok('/v2/clock')).toMatchObject({
      is_open: false,
      next_open: '2025-04-21T09:30:00-04:00',
    });
  });
});

describe('GET /v2/calendar', () => {
  it('lists trading days with sessions and settlement dates', () => {
    const { ok } = setup();
    const rows = ok<Array<Record<string, string>>>('/v2/calendar?start=2024-07-01&end=2024-07-08');
    expect(rows.map((r) => r.date)).toEqual(['2024-07-01', '2024-07-02', '2024-07-03', '2024-07-05', '2024-07-08']);
    expect(rows[2]).toEqual({
      date: '2024-07-03',
      open: '09:30',
      close: '13:00',
      session_open: '0400',
      session_close: '1700',
      settlement_date: '2024-07-05',
    });
    expect(rows[0]!.close).toBe('16:00');
    // Default: from today for about a month.
    const def = ok<Array<Record<string, string>>>('/v2/calendar');
    expect(def[0]!.date).toBe('2024-07-23');
    expect(def.length).toBeGreaterThan(18);
    expect(def.length).toBeLessThan(25);
    expect(ok('/v2/calendar?start=2024-07-23T23:30:00-04:00&end=2024-07-23')).toHaveLength(1);
    expect(ok<unknown[]>('/v2/calendar?start=2016-01-01&end=2024-03-14').length).toBe(2063);
    // The T+2 → T+1 switch: trades of May 23 settle on the 28th, those of May 24 and 28 both on the 29th.
    const settling = ok<Array<Record<string, string>>>(
      '/v2/calendar?start=2024-05-28&end=2024-05-29&date_type=SETTLEMENT',
    );
    expect(settling.map((r) => [r.date, r.settlement_date])).toEqual([
      ['2024-05-23', '2024-05-28'],
      ['2024-05-24', '2024-05-29'],
      ['2024-05-28', '2024-05-29'],
    ]);
  });

  it('rejects bad dates and ranges with 400', () => {
    const { get } = setup();
    const cases: Array<[string, RegExp]> = [
      ['/v2/calendar?start=2024-02-30', /^invalid start/],
      ['/v2/calendar?start=2024-07-01&end=July', /^invalid end/],
      ['/v2/calendar?start=2024-07-09&end=2024-07-01', /after end/],
      [`/v2/calendar?start=2000-01-01&end=2024-01-01`, new RegExp(`at most ${MAX_CALENDAR_DAYS}`)],
      ['/v2/calendar?date_type=BOTH', /date_type/],
    ];
    for (const [path, msg] of cases) {
      const r = get(path);
      expect(r.status, path).toBe(400);
      expect(r.body).toMatchObject({ code: 40010001, message: expect.stringMatching(msg) });
    }
  });
});

describe('assets', () => {
  const { ok, get, market } = setup();
  const FIELDS = [
    'id',
    'class',
    'exchange',
    'symbol',
    'name',
    'status',
    'tradable',
    'marginable',
    'shortable',
    'easy_to_borrow',
    'fractionable',
    'maintenance_margin_requirement',
    'margin_requirement_long',
    'margin_requirement_short',
    'attributes',
    'min_order_size',
    'min_trade_increment',
    'price_increment',
    'cusip',
  ];

  it('lists the universe with Alpaca fields and types', () => {
    const all = ok<Array<Record<string, unknown>>>('/v2/assets');
    expect(all.length).toBe(market.assets().length);
    expect(all.length).toBeGreaterThanOrEqual(40);
    for (const a of all) {
      expect(Object.keys(a)).toEqual(FIELDS);
      expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(a.cusip).toMatch(/^[0-9A-Z]{8}\d$/);
      expect(typeof a.maintenance_margin_requirement).toBe('number');
      for (const f of [
        'margin_requirement_long',
        'margin_requirement_short',
        'min_order_size',
        'min_trade_increment',
        'price_increment',
      ])
        expect(typeof a[f]).toBe('string');
      expect(['NASDAQ', 'NYSE', 'ARCA']).toContain(a.exchange);
    }
    const aapl = all.find((a) => a.symbol === 'AAPL')!;
    expect(aapl).toMatchObject({
      class: 'us_equity',
      exchange: 'NASDAQ',
      status: 'active',
      tradable: true,
      fractionable: true,
    });
    expect(aapl.attributes).toEqual(['fractional_eh_enabled', 'has_options']);
  });

  it('filters by status, class, exchange and attributes', () => {
    expect(ok<Array<{ symbol: string }>>('/v2/assets?status=inactive').map((a) => a.symbol)).toEqual(['DELSTD']);
    expect(ok<unknown[]>('/v2/assets?status=active').length).toBe(market.assets().length - 1);
    expect(ok<Array<{ symbol: string }>>('/v2/assets?exchange=ARCA').map((a) => a.symbol)).toEqual([
      'SPY',
      'IWM',
      'DIA',
    ]);
    expect(ok('/v2/assets?asset_class=crypto')).toEqual([]);
    expect(ok('/v2/assets?exchange=OTC')).toEqual([]);
    const noFrac = ok<Array<{ symbol: string }>>('/v2/assets?status=active').filter(
      (a) => !(a as never as { fractionable: boolean }).fractionable,
    );
    expect(noFrac.map((a) => a.symbol)).toEqual(['DIA', 'FAKEPACA']);
    const withOptions = ok<Array<{ symbol: string }>>('/v2/assets?attributes=has_options,ipo');
    expect(withOptions.map((a) => a.symbol)).not.toContain('FAKEPACA');
    expect(withOptions.map((a) => a.symbol)).toContain('DIA');
    expect(ok('/v2/assets?attributes=ptp_no_exception')).toEqual([]);
  });

  it('rejects bad filter values with 422', () => {
    for (const q of ['status=deleted', 'asset_class=bonds', 'exchange=LSE', 'attributes=has_options,shiny']) {
      const r = get(`/v2/assets?${q}`);
      expect(r.status, q).toBe(422);
      expect(r.body).toMatchObject({ code: 40010001, message: expect.stringContaining(q.split('=')[0]!) });
    }
  });

  it('finds one asset by symbol, id or CUSIP, and 404s otherwise', () => {
    const aapl = ok<Record<string, string>>('/v2/assets/AAPL');
    expect(ok(`/v2/assets/${aapl.id}`)).toEqual(aapl);
    expect(ok(`/v2/assets/${aapl.cusip}`)).toEqual(aapl);
    expect(ok('/v2/assets/aapl')).toEqual(aapl);
    expect(ok('/v2/assets/DELSTD')).toMatchObject({
      status: 'inactive',
      tradable: false,
      shortable: false,
      marginable: false,
    });
    expect(ok('/v2/assets/FAKEPACA')).toMatchObject({
      tradable: true,
      shortable: false,
      easy_to_borrow: false,
      fractionable: false,
    });
    expect(ok('/v2/assets/INTC')).toMatchObject({ shortable: true, easy_to_borrow: false });
    expect(get('/v2/assets/NOPE')).toEqual({ status: 404, body: { code: 40410000, message: 'asset not found' } });
    expect(get('/v2/assets/00000000-0000-4000-8000-000000000000').status).toBe(404);
  });
});
