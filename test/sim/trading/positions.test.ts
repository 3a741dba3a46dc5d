import { describe, expect, it } from 'vitest';
import { ASSETS } from './fake-market.js';
import { body, type Json, list, marketBuy, setup } from './setup.js';

const sell = (qty: number | string, extra: Json = {}): Json => ({
  symbol: 'AAPL',
  qty: String(qty),
  side: 'sell',
  type: 'market',
  time_in_force: 'day',
  ...extra,
});

function holding(qty = 10) {
  const s = setup();
  s.submit(marketBuy(qty));
  s.fake.advance(100);
  return s;
}

describe('positions', () => {
  it('values a long position at priceAt with P/L fields as strings', () => {
    const s = holding(10);
    s.market.setPrice('AAPL', 105);
    const [p] = list(s.call('GET', '/v2/positions'));
    expect(p).toEqual({
      asset_id: ASSETS[0]!.id,
      symbol: 'AAPL',
      exchange: 'NASDAQ',
      asset_class: 'us_equity',
      asset_marginable: true,
      qty: '10',
      qty_available: '10',
      avg_entry_price: '100',
      side: 'long',
      market_value: '1050',
      cost_basis: '1000',
      unrealized_pl: '50',
      unrealized_plpc: '0.05',
      unrealized_intraday_pl: '50',
      unrealized_intraday_plpc: '0.05',
      current_price: '105',
      lastday_price: '100',
      change_today: '0.05',
    });
  });

  it('averages entries, realises partial exits, flips to short at the fill price', () => {
    const s = holding(10);
    s.market.setPrice('AAPL', 110);
    s.submit(marketBuy(10));
    s.fake.advance(100);
    expect(body(s.call('GET', '/v2/positions/AAPL'))).toMatchObject({
      qty: '20',
      avg_entry_price: '105',
      cost_basis: '2100',
    });
    s.submit(sell(5));
    s.fake.advance(100);
    expect(body(s.call('GET', '/v2/positions/AAPL'))).toMatchObject({
      qty: '15',
      avg_entry_price: '105',
      cost_basis: '1575',
    });
    s.market.setPrice('AAPL', 120);
    s.submit(sell(20));
    s.fake.advance(100);
    expect(body(s.call('GET', '/v2/positions/AAPL'))).toMatchObject({
      qty: '-5',
      side: 'short',
      avg_entry_price: '120',
      market_value: '-600',
      cost_basis: '-600',
      unrealized_pl: '0',
    });
    // 100k − 1000 − 1100 + 550 + 2400
    expect(s.account()).toMatchObject({ cash: '100850', short_market_value: '-600', equity: '100250' });
  });

  it('reports qty_available net of open closing orders', () => {
    const s = holding(10);
    s.submit(sell(4, { type: 'limit', limit_price: '150', time_in_force: 'gtc' }));
    expect(body(s.call('GET', '/v2/positions/AAPL'))).toMatchObject({ qty: '10', qty_available: '6' });
  });

  it('finds a position by symbol (any case) or asset id; 404 otherwise', () => {
    const s = holding(1);
    expect(body(s.call('GET', '/v2/positions/aapl')).symbol).toBe('AAPL');
    expect(body(s.call('GET', `/v2/positions/${ASSETS[0]!.id}`)).symbol).toBe('AAPL');
    expect(s.call('GET', '/v2/positions/SPY')).toEqual({
      status: 404,
      body: { code: 40410000, message: 'position does not exist' },
    });
    expect(s.call('GET', '/v2/positions/NOPE').status).toBe(404);
  });
});

describe('DELETE /v2/positions/{symbol}', () => {
  it('answers with the closing market order and closes the position', () => {
    const s = holding(10);
    const res = s.call('DELETE', '/v2/positions/AAPL');
    expect(res.status).toBe(200);
    expect(body(res)).toMatchObject({
      side: 'sell',
      qty: '10',
      type: 'market',
      time_in_force: 'day',
      position_intent: 'sell_to_close',
      status: 'accepted',
    });
    s.fake.advance(100);
    expect(list(s.call('GET', '/v2/positions'))).toEqual([]);
  });

  it('closes part of a position by qty or percentage', () => {
    const s = holding(10);
    expect(body(s.call('DELETE', '/v2/positions/AAPL', { query: { qty: '3' } })).qty).toBe('3');
    expect(body(s.call('DELETE', '/v2/positions/AAPL', { query: { percentage: '25' } })).qty).toBe('2.5');
    s.fake.advance(100);
    expect(body(s.call('GET', '/v2/positions/AAPL')).qty).toBe('4.5');
  });

  it('rounds percentages down to whole shares for non-fractionable assets', () => {
    const s = setup();
    s.submit(marketBuy(10, { symbol: 'WHOLE' }));
    s.fake.advance(100);
    expect(body(s.call('DELETE', '/v2/positions/WHOLE', { query: { percentage: '33' } })).qty).toBe('3');
    expect(body(s.call('DELETE', '/v2/positions/WHOLE', { query: { qty: '1.5' } })).message).toBe(
      'asset WHOLE is not fractionable',
    );
  });

  it('closes a short with a buy', () => {
    const s = setup();
    s.submit(sell(5));
    s.fake.advance(100);
    expect(body(s.call('DELETE', '/v2/positions/AAPL'))).toMatchObject({
      side: 'buy',
      qty: '5',
      position_intent: 'buy_to_close',
    });
  });

  it.each([
    [{ qty: '0' }, 422, 'qty must be > 0'],
    [{ qty: 'abc' }, 422, 'invalid qty'],
    [{ percentage: '0' }, 422, 'percentage must be between 0 and 100'],
    [{ percentage: '101' }, 422, 'percentage must be between 0 and 100'],
    [{ qty: '1', percentage: '10' }, 422, 'only one of qty or percentage may be specified'],
    [{ qty: '11' }, 403, 'insufficient qty available for order (requested: 11, available: 10)'],
  ])('refuses %j', (query, status, message) => {
    const s = holding(10);
    const res = s.call('DELETE', '/v2/positions/AAPL', { query });
    expect(res.status).toBe(status);
    expect(body(res).message).toBe(message);
  });

  it('404 when there is no position', () => {
    const s = setup();
    expect(s.call('DELETE', '/v2/positions/AAPL')).toEqual({
      status: 404,
      body: { code: 40410000, message: 'position does not exist' },
    });
  });
});

describe('DELETE /v2/positions', () => {
  function twoPositionsOneHeld() {
    const s = holding(10);
    s.submit(marketBuy(2, { symbol: 'SPY' }));
    s.fake.advance(100);
    s.submit(sell(10, { type: 'limit', limit_price: '150', time_in_force: 'gtc' })); // holds all AAPL
    return s;
  }

  it('207 per symbol; held shares make that symbol fail with Alpaca’s 403 body', () => {
    const s = twoPositionsOneHeld();
    const res = s.call('DELETE', '/v2/positions');
    expect(res.status).toBe(207);
    const [aapl, spy] = list(res);
    expect(aapl).toEqual({
      symbol: 'AAPL',
      status: 403,
      body: {
        code: 40310000,
        message: 'insufficient qty available for order (requested: 10, available: 0)',
        available: '0',
        existing_qty: '10',
        held_for_orders: '10',
        symbol: 'AAPL',
      },
    });
    expect(spy).toMatchObject({ symbol: 'SPY', status: 200, body: { side: 'sell', qty: '2', symbol: 'SPY' } });
  });

  it('cancel_orders=true cancels open orders first, so every position closes', () => {
    const s = twoPositionsOneHeld();
    const rows = list(s.call('DELETE', '/v2/positions', { query: { cancel_orders: 'true' } }));
    expect(rows.map((r) => [r.symbol, r.status])).toEqual([
      ['AAPL', 200],
      ['SPY', 200],
    ]);
    s.fake.advance(100);
    expect(list(s.call('GET', '/v2/positions'))).toEqual([]);
    expect(s.call('DELETE', '/v2/positions', { query: { cancel_orders: 'perhaps' } }).status).toBe(422);
  });
});
