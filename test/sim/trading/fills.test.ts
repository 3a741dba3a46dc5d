import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE, START } from './fake-market.js';
import { type Json, list, marketBuy, setup } from './setup.js';

const limit = (side: string, qty: number, price: string, extra: Json = {}): Json => ({
  symbol: 'AAPL',
  qty: String(qty),
  side,
  type: 'limit',
  limit_price: price,
  time_in_force: 'gtc',
  ...extra,
});

describe('market orders', () => {
  it('fill fillLatencyMs after acceptance at priceAt, with a complete fill event', () => {
    const s = setup({ fillLatencyMs: 50 });
    const o = s.submit(marketBuy(10));
    const id = o.id as string;
    s.fake.advance(49);
    expect(s.getOrder(id)).toMatchObject({ status: 'new', filled_qty: '0' });
    s.fake.advance(1);
    expect(s.getOrder(id)).toMatchObject({
      status: 'filled',
      filled_qty: '10',
      filled_avg_price: '100',
      filled_at: '2024-07-23T14:00:00.050000000Z',
    });
    const ev = s.events();
    expect(ev.map((e) => e.event)).toEqual(['new', 'fill']);
    expect(ev[0]).toMatchObject({ timestamp: '2024-07-23T14:00:00.000000000Z', at: '2024-07-23T14:00:00.000000000Z' });
    expect(ev[0]!.order).toMatchObject({ id, status: 'new' });
    expect(ev[1]).toMatchObject({
      price: '100',
      qty: '10',
      position_qty: '10',
      timestamp: '2024-07-23T14:00:00.050000000Z',
    });
    expect(ev[1]!.execution_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ev[1]!.event_id).toMatch(/^[0-9A-Z]{26}$/);
    expect(ev[1]!.order).toMatchObject({ status: 'filled', filled_qty: '10' });
  });

  it('keep no timer while nothing is open, and one while something is', () => {
    const s = setup();
    expect(s.fake.pendingTimers()).toBe(0);
    s.submit(marketBuy(1));
    expect(s.fake.pendingTimers()).toBe(1);
    s.fake.advance(1000);
    expect(s.fake.pendingTimers()).toBe(0);
    s.submit(limit('buy', 1, '50'));
    s.fake.advance(10_000);
    expect(s.fake.pendingTimers()).toBe(1);
  });

  it('are processed lazily on the next request when no timer runs', () => {
    const s = setup();
    const o = s.submit(marketBuy(2));
    s.engine.close();
    expect(s.fake.pendingTimers()).toBe(0);
    s.fake.advance(5000);
    expect(s.getOrder(o.id as string).status).toBe('filled');
  });

  it('wait for the regular open when submitted outside the session', () => {
    const s = setup({ session: 'daily', start: START - 2 * HOUR }); // 12:00 UTC, pre-market
    const o = s.submit(marketBuy(1));
    s.fake.advance(HOUR + 29 * MINUTE); // 13:29
    expect(s.getOrder(o.id as string).status).toBe('new');
    s.market.setPrice('AAPL', 101, START - 30 * MINUTE); // the open print
    s.fake.advance(2 * MINUTE);
    expect(s.getOrder(o.id as string)).toMatchObject({
      status: 'filled',
      filled_avg_price: '101',
      filled_at: '2024-07-23T13:30:00.000000000Z',
    });
  });

  it('fill notional orders as fractional qty at the fill price, and fractional qty as is', () => {
    const s = setup();
    s.market.setPrice('AAPL', 80);
    const n = s.submit(marketBuy(1, { qty: undefined, notional: '250' }));
    expect(n).toMatchObject({ notional: '250', qty: null });
    const f = s.submit(marketBuy('0.5'));
    s.fake.advance(100);
    expect(s.getOrder(n.id as string)).toMatchObject({ status: 'filled', filled_qty: '3.125', filled_avg_price: '80' });
    expect(s.getOrder(f.id as string)).toMatchObject({ status: 'filled', filled_qty: '0.5' });
    expect(list(s.call('GET', '/v2/positions'))[0]).toMatchObject({ qty: '3.625', market_value: '290' });
  });
});

describe('limit, stop and trailing orders', () => {
  it('limit buy fills when the price reaches the limit, at the better price', () => {
    const s = setup();
    const o = s.submit(limit('buy', 5, '95'));
    s.fake.advance(5000);
    expect(s.getOrder(o.id as string).status).toBe('new');
    s.market.setPrice('AAPL', 94.5);
    s.fake.advance(100);
    expect(s.getOrder(o.id as string)).toMatchObject({ status: 'filled', filled_avg_price: '94.5' });
  });

  it('limit sell fills when the price is at or above the limit', () => {
    const s = setup();
    s.market.setPrice('AAPL', 106);
    const o = s.submit(limit('sell', 5, '105'));
    s.fake.advance(100);
    expect(s.getOrder(o.id as string)).toMatchObject({ status: 'filled', filled_avg_price: '106' });
  });

  it('stop sell triggers when the price crosses the stop and fills like a market order', () => {
    const s = setup();
    const o = s.submit({
      symbol: 'AAPL',
      qty: '3',
      side: 'sell',
      type: 'stop',
      stop_price: '95',
      time_in_force: 'gtc',
    });
    s.fake.advance(1000);
    expect(s.getOrder(o.id as string).status).toBe('new');
    s.market.setPrice('AAPL', 93);
    s.fake.advance(100);
    expect(s.getOrder(o.id as string)).toMatchObject({ status: 'filled', filled_avg_price: '93', type: 'stop' });
  });

  it('stop_limit becomes a limit once triggered', () => {
    const s = setup();
    const o = s.submit({
      ...limit('buy', 2, '106'),
      type: 'stop_limit',
      stop_price: '105',
    });
    s.market.setPrice('AAPL', 107);
    s.fake.advance(1000);
    expect(s.getOrder(o.id as string).status).toBe('new'); // triggered, but 107 > 106
    s.market.setPrice('AAPL', 105.5);
    s.fake.advance(100);
    expect(s.getOrder(o.id as string)).toMatchObject({ status: 'filled', filled_avg_price: '105.5' });
  });

  it('trailing stop sell trails the high-water mark and triggers at hwm − trail', () => {
    const s = setup();
    const o = s.submit({
      symbol: 'AAPL',
      qty: '1',
      side: 'sell',
      type: 'trailing_stop',
      trail_price: '2',
      time_in_force: 'gtc',
    });
    expect(o).toMatchObject({ hwm: '100', stop_price: '98', trail_price: '2' });
    const id = o.id as string;
    s.market.setPrice('AAPL', 103);
    s.fake.advance(1000);
    expect(s.getOrder(id)).toMatchObject({ status: 'new', hwm: '103', stop_price: '101' });
    s.market.setPrice('AAPL', 102);
    s.fake.advance(1000);
    expect(s.getOrder(id)).toMatchObject({ status: 'new', hwm: '103', stop_price: '101' });
    s.market.setPrice('AAPL', 100.5);
    s.fake.advance(100);
    expect(s.getOrder(id)).toMatchObject({ status: 'filled', filled_avg_price: '100.5' });
  });

  it('trailing stop buy (trail_percent) trails the low-water mark', () => {
    const s = setup();
    const o = s.submit({
      symbol: 'AAPL',
      qty: '1',
      side: 'buy',
      type: 'trailing_stop',
      trail_percent: '5',
      time_in_force: 'day',
    });
    const id = o.id as string;
    s.market.setPrice('AAPL', 80);
    s.fake.advance(1000);
    expect(s.getOrder(id)).toMatchObject({ status: 'new', hwm: '80', stop_price: '84', trail_percent: '5' });
    s.market.setPrice('AAPL', 84.2);
    s.fake.advance(100);
    expect(s.getOrder(id)).toMatchObject({ status: 'filled', filled_avg_price: '84.2' });
  });
});

describe('liquidity, ioc and fok', () => {
  it('fills at most liquidityAt shares per step: partial fills, then the rest', () => {
    const s = setup();
    s.market.setLiquidity('AAPL', 30);
    const o = s.submit(marketBuy(100));
    const id = o.id as string;
    s.fake.advance(50);
    expect(s.getOrder(id)).toMatchObject({ status: 'partially_filled', filled_qty: '30' });
    s.market.setPrice('AAPL', 110);
    s.fake.advance(1000);
    expect(s.getOrder(id)).toMatchObject({ status: 'filled', filled_qty: '100', filled_avg_price: '107' });
    expect(s.eventsOf(id)).toEqual([
      'new:new',
      'partial_fill:partially_filled',
      'partial_fill:partially_filled',
      'partial_fill:partially_filled',
      'fill:filled',
    ]);
    const fills = s.events().filter((e) => e.event !== 'new');
    expect(fills.map((e) => [e.qty, e.price, e.position_qty])).toEqual([
      ['30', '100', '30'],
      ['30', '110', '60'],
      ['30', '110', '90'],
      ['10', '110', '100'],
    ]);
  });

  it('shares one step’s liquidity among orders, oldest first', () => {
    const s = setup();
    s.market.setLiquidity('AAPL', 30);
    const a = s.submit(marketBuy(20));
    const b = s.submit(marketBuy(20));
    s.fake.advance(50);
    expect(s.getOrder(a.id as string).filled_qty).toBe('20');
    expect(s.getOrder(b.id as string).filled_qty).toBe('10');
  });

  it('ioc fills what the first step can and cancels the rest', () => {
    const s = setup();
    s.market.setLiquidity('AAPL', 30);
    const o = s.submit(marketBuy(100, { time_in_force: 'ioc' }));
    s.fake.advance(100);
    expect(s.getOrder(o.id as string)).toMatchObject({ status: 'canceled', filled_qty: '30' });
    expect(s.eventsOf(o.id as string)).toEqual(['new:new', 'partial_fill:partially_filled', 'canceled:canceled']);
  });

  it('ioc limit that cannot trade at the first step is canceled unfilled', () => {
    const s = setup();
    const o = s.submit(limit('buy', 1, '90', { time_in_force: 'ioc' }));
    s.fake.advance(100);
    expect(s.getOrder(o.id as string)).toMatchObject({ status: 'canceled', filled_qty: '0' });
  });

  it('fok fills all or nothing', () => {
    const s = setup();
    s.market.setLiquidity('AAPL', 30);
    const big = s.submit(marketBuy(100, { time_in_force: 'fok' }));
    s.fake.advance(100);
    const small = s.submit(marketBuy(30, { time_in_force: 'fok' }));
    s.fake.advance(100);
    expect(s.getOrder(big.id as string)).toMatchObject({ status: 'canceled', filled_qty: '0' });
    expect(s.getOrder(small.id as string)).toMatchObject({ status: 'filled', filled_qty: '30' });
    expect(s.eventsOf(big.id as string)).toEqual(['new:new', 'canceled:canceled']);
  });

  it('whole-share orders fill whole shares even when liquidity is fractional', () => {
    const s = setup();
    s.market.setLiquidity('AAPL', 2.7);
    const o = s.submit(marketBuy(5));
    s.fake.advance(50);
    expect(s.getOrder(o.id as string).filled_qty).toBe('2');
  });
});

describe('sessions and time in force', () => {
  it('day orders expire at the session close; gtc orders stay', () => {
    const s = setup({ session: 'daily' });
    const day = s.submit(limit('buy', 1, '50', { time_in_force: 'day' }));
    const gtc = s.submit(limit('buy', 1, '50'));
    expect(day.expires_at).toBe('2024-07-23T20:00:00.000000000Z');
    s.fake.advance(6 * HOUR - 1); // 19:59:59.999
    expect(s.getOrder(day.id as string).status).toBe('new');
    s.fake.advance(1);
    expect(s.getOrder(day.id as string)).toMatchObject({
      status: 'expired',
      expired_at: '2024-07-23T20:00:00.000000000Z',
    });
    expect(s.getOrder(gtc.id as string).status).toBe('new');
    expect(s.eventsOf(day.id as string)).toEqual(['new:new', 'expired:expired']);
  });

  it('a partially filled day order expires with its fills kept', () => {
    const s = setup({ session: 'daily' });
    s.market.setLiquidity('AAPL', 1);
    s.market.setPrice('AAPL', 94);
    s.market.setPrice('AAPL', 100, START + 1000); // marketable for one second only
    const o = s.submit(limit('buy', 100, '95', { time_in_force: 'day' }));
    s.fake.advance(7 * HOUR);
    expect(s.getOrder(o.id as string)).toMatchObject({ status: 'expired', filled_qty: '10', filled_avg_price: '94' });
    expect(s.eventsOf(o.id as string).at(-1)).toBe('expired:expired');
  });

  it('extended_hours limit orders fill in the pre-market; regular ones wait for the open', () => {
    const s = setup({ session: 'daily', start: START - 2 * HOUR }); // 12:00 UTC
    const ext = s.submit(limit('buy', 1, '101', { extended_hours: true, time_in_force: 'day' }));
    const reg = s.submit(limit('buy', 1, '101', { time_in_force: 'day' }));
    s.fake.advance(1000);
    expect(s.getOrder(ext.id as string)).toMatchObject({ status: 'filled', extended_hours: true });
    expect(s.getOrder(reg.id as string).status).toBe('new');
    s.fake.advance(90 * MINUTE);
    expect(s.getOrder(reg.id as string)).toMatchObject({
      status: 'filled',
      filled_at: '2024-07-23T13:30:00.000000000Z',
    });
  });

  it('stops do not trigger outside the regular session', () => {
    const s = setup({ session: 'daily', start: START - 2 * HOUR });
    s.market.setPrice('AAPL', 90);
    const o = s.submit({
      symbol: 'AAPL',
      qty: '1',
      side: 'sell',
      type: 'stop',
      stop_price: '95',
      time_in_force: 'gtc',
    });
    s.fake.advance(HOUR);
    expect(s.getOrder(o.id as string).status).toBe('new');
    s.fake.advance(HOUR);
    expect(s.getOrder(o.id as string)).toMatchObject({ status: 'filled', filled_at: '2024-07-23T13:30:00.000000000Z' });
  });

  it('opg orders execute at the open, cls orders at the close', () => {
    const s = setup({ session: 'daily', start: START - 2 * HOUR });
    const opg = s.submit(marketBuy(1, { time_in_force: 'opg' }));
    const cls = s.submit(marketBuy(1, { time_in_force: 'cls' }));
    const clsLimit = s.submit(limit('buy', 1, '50', { time_in_force: 'cls' }));
    s.market.setPrice('AAPL', 120, START + 6 * HOUR); // the closing print at 20:00
    s.fake.advance(9 * HOUR);
    expect(s.getOrder(opg.id as string)).toMatchObject({
      status: 'filled',
      filled_at: '2024-07-23T13:30:00.000000000Z',
      filled_avg_price: '100',
    });
    expect(s.getOrder(cls.id as string)).toMatchObject({
      status: 'filled',
      filled_at: '2024-07-23T20:00:00.000000000Z',
      filled_avg_price: '120',
    });
    expect(s.getOrder(clsLimit.id as string)).toMatchObject({
      status: 'canceled',
      canceled_at: '2024-07-23T20:00:00.000000000Z',
    });
  });

  it('an opg order submitted during the session waits for the next open', () => {
    const s = setup({ session: 'daily' });
    const o = s.submit(marketBuy(1, { time_in_force: 'opg' }));
    s.fake.advance(24 * HOUR);
    expect(s.getOrder(o.id as string)).toMatchObject({ status: 'filled', filled_at: '2024-07-24T13:30:00.000000000Z' });
  });

  it('steps on a grid while open but sleeps to the next open while closed', () => {
    const s = setup({ session: 'daily', start: START + 6 * HOUR + MINUTE }); // 20:01, after the close
    s.submit(limit('buy', 1, '50'));
    const before = s.market.calls.priceAt;
    s.fake.advance(17 * HOUR); // to 13:01 the next day: no steps needed
    expect(s.market.calls.priceAt - before).toBeLessThan(5);
  });
});
