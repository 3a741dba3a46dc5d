import { describe, expect, it } from 'vitest';
import { body, type Json, marketBuy, setup } from './setup.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const RFC3339_NS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/;

describe('POST /v2/orders', () => {
  it('returns an accepted order with every Alpaca field, decimals as strings', () => {
    const s = setup();
    const o = s.submit(marketBuy(10, { client_order_id: 'my-1' }));
    expect(o).toMatchObject({
      client_order_id: 'my-1',
      symbol: 'AAPL',
      asset_class: 'us_equity',
      qty: '10',
      filled_qty: '0',
      filled_avg_price: null,
      notional: null,
      order_class: '',
      order_type: 'market',
      type: 'market',
      side: 'buy',
      time_in_force: 'day',
      status: 'accepted',
      extended_hours: false,
      legs: null,
      replaced_by: null,
      replaces: null,
      limit_price: null,
      stop_price: null,
      trail_percent: null,
      trail_price: null,
      hwm: null,
      position_intent: 'buy_to_open',
    });
    expect(o.id).toMatch(UUID_V4);
    for (const k of ['created_at', 'updated_at', 'submitted_at', 'expires_at']) expect(o[k]).toMatch(RFC3339_NS);
    for (const k of ['filled_at', 'expired_at', 'canceled_at', 'failed_at', 'replaced_at']) expect(o[k]).toBeNull();
    expect(o.created_at).toBe('2024-07-23T14:00:00.000000000Z');
  });

  it('accepts numbers or strings and generates a uuid client_order_id when absent or empty', () => {
    const s = setup();
    const a = s.submit({ symbol: 'AAPL', qty: 3, side: 'BUY', type: 'Limit', time_in_force: 'gtc', limit_price: 90.5 });
    expect(a).toMatchObject({ qty: '3', side: 'buy', type: 'limit', limit_price: '90.5' });
    expect(a.client_order_id).toMatch(UUID_V4);
    const b = s.submit(marketBuy(1, { client_order_id: '' }));
    expect(b.client_order_id).toMatch(UUID_V4);
  });

  it('turns the order new once the engine has seen it (the next request at the same instant)', () => {
    const s = setup();
    const o = s.submit(marketBuy(1));
    expect(s.getOrder(o.id as string).status).toBe('new');
  });

  const invalid: Array<[string, unknown, string]> = [
    ['no symbol', { qty: '1', side: 'buy', type: 'market', time_in_force: 'day' }, 'symbol is required'],
    ['unknown asset', marketBuy(1, { symbol: 'XYZ' }), 'asset "XYZ" not found'],
    ['inactive asset', marketBuy(1, { symbol: 'DEAD' }), 'asset DEAD is not active'],
    ['no qty', marketBuy(1, { qty: undefined }), 'qty is required'],
    ['qty and notional', marketBuy(1, { notional: '10' }), 'qty and notional cannot both be specified'],
    ['zero qty', marketBuy(0), 'qty must be > 0'],
    ['negative qty', marketBuy(-2), 'qty must be > 0'],
    ['qty not a number', marketBuy('ten'), 'invalid qty'],
    ['qty as object', marketBuy(1, { qty: { n: 1 } }), 'invalid qty'],
    ['too many qty decimals', marketBuy('0.0000000001'), 'qty must have no more than 9 decimal places'],
    ['zero notional', marketBuy(1, { qty: undefined, notional: '0' }), 'notional must be > 0'],
    ['no side', marketBuy(1, { side: undefined }), 'side is required'],
    ['bad side', marketBuy(1, { side: 'long' }), 'invalid side'],
    ['side not a string', marketBuy(1, { side: 1 }), 'invalid side'],
    ['no type', marketBuy(1, { type: undefined }), 'type is required'],
    ['bad type', marketBuy(1, { type: 'iceberg' }), 'invalid type'],
    ['no tif', marketBuy(1, { time_in_force: undefined }), 'time_in_force is required'],
    ['bad tif', marketBuy(1, { time_in_force: 'forever' }), 'invalid time_in_force'],
    ['limit without price', marketBuy(1, { type: 'limit' }), 'limit_price is required for limit orders'],
    ['stop without price', marketBuy(1, { type: 'stop' }), 'stop_price is required for stop orders'],
    [
      'stop_limit without limit',
      marketBuy(1, { type: 'stop_limit', stop_price: '90' }),
      'limit_price is required for stop_limit orders',
    ],
    ['negative limit', marketBuy(1, { type: 'limit', limit_price: '-1' }), 'limit_price must be > 0'],
    [
      'sub-penny limit',
      marketBuy(1, { type: 'limit', limit_price: '100.123' }),
      'invalid limit_price 100.123. sub-penny increment does not fulfill minimum pricing criteria',
    ],
    [
      'trailing without trail',
      marketBuy(1, { type: 'trailing_stop' }),
      'trail_price or trail_percent is required for trailing_stop orders',
    ],
    [
      'trailing with both',
      marketBuy(1, { type: 'trailing_stop', trail_price: '1', trail_percent: '1' }),
      'only one of trail_price or trail_percent may be specified',
    ],
    [
      'trail_percent out of range',
      marketBuy(1, { type: 'trailing_stop', trail_percent: '100' }),
      'trail_percent must be between 0 and 100',
    ],
    [
      'fractional limit',
      marketBuy('0.5', { type: 'limit', limit_price: '90' }),
      'fractional orders must be market day orders',
    ],
    ['fractional gtc', marketBuy('0.5', { time_in_force: 'gtc' }), 'fractional orders must be market day orders'],
    [
      'notional gtc',
      marketBuy(1, { qty: undefined, notional: '50', time_in_force: 'gtc' }),
      'fractional orders must be market day orders',
    ],
    ['fractional non-fractionable', marketBuy('0.5', { symbol: 'WHOLE' }), 'asset WHOLE is not fractionable'],
    [
      'extended market order',
      marketBuy(1, { extended_hours: true }),
      'extended hours orders must be simple limit orders with time_in_force day or gtc',
    ],
    ['extended_hours not a bool', marketBuy(1, { extended_hours: 'yes' }), 'invalid extended_hours'],
    [
      'stop ioc',
      marketBuy(1, { type: 'stop', stop_price: '110', time_in_force: 'ioc' }),
      'invalid time_in_force ioc for stop orders',
    ],
    [
      'cid too long',
      marketBuy(1, { client_order_id: 'x'.repeat(129) }),
      'client_order_id must be no more than 128 characters',
    ],
    ['cid not a string', marketBuy(1, { client_order_id: 7 }), 'invalid client_order_id'],
    ['bad order_class', marketBuy(1, { order_class: 'fancy' }), 'invalid order_class'],
    ['mleg', marketBuy(1, { order_class: 'mleg' }), 'order_class mleg is not supported'],
    ['bad position_intent', marketBuy(1, { position_intent: 'yolo' }), 'invalid position_intent'],
    [
      'bracket without tp',
      marketBuy(1, { order_class: 'bracket', stop_loss: { stop_price: '90' } }),
      'take_profit is required for bracket orders',
    ],
    [
      'bracket tp below base',
      marketBuy(1, { order_class: 'bracket', take_profit: { limit_price: '100' }, stop_loss: { stop_price: '90' } }),
      'take_profit.limit_price must be >= base_price + 0.01',
    ],
    [
      'bracket sl above base',
      marketBuy(1, { order_class: 'bracket', take_profit: { limit_price: '110' }, stop_loss: { stop_price: '100' } }),
      'stop_loss.stop_price must be <= base_price - 0.01',
    ],
    [
      'bracket ioc',
      marketBuy(1, {
        order_class: 'bracket',
        time_in_force: 'ioc',
        take_profit: { limit_price: '110' },
        stop_loss: { stop_price: '90' },
      }),
      'bracket orders must be day or gtc',
    ],
    [
      'bracket tp without price',
      marketBuy(1, { order_class: 'bracket', take_profit: {}, stop_loss: { stop_price: '90' } }),
      'take_profit.limit_price is required',
    ],
    [
      'oto with both',
      marketBuy(1, { order_class: 'oto', take_profit: { limit_price: '110' }, stop_loss: { stop_price: '90' } }),
      'oto orders take only one of take_profit or stop_loss',
    ],
    ['oto with neither', marketBuy(1, { order_class: 'oto' }), 'oto orders require take_profit or stop_loss'],
    [
      'oco market',
      marketBuy(1, {
        side: 'sell',
        order_class: 'oco',
        take_profit: { limit_price: '110' },
        stop_loss: { stop_price: '90' },
      }),
      'oco orders must be limit orders',
    ],
  ];

  it.each(invalid)('422 for %s', (_name, req, message) => {
    const s = setup();
    const res = s.call('POST', '/v2/orders', { body: req });
    expect(res).toEqual({ status: 422, body: { code: 40010001, message } });
  });

  it.each([[undefined], [null], ['a string'], [[1, 2]], [42]])('400 (not 500) for a body that is %j', (req) => {
    const s = setup();
    const res = s.call('POST', '/v2/orders', { body: req });
    expect(res.status).toBe(400);
    expect(body(res)).toEqual({ code: 40010001, message: 'request body format is invalid' });
  });

  it('rejects a duplicate client_order_id, also against terminal orders, and counts it', () => {
    const s = setup();
    const first = s.submit(marketBuy(1, { client_order_id: 'once' }));
    s.fake.advance(1000);
    expect(s.getOrder(first.id as string).status).toBe('filled');
    for (let i = 0; i < 3; i++) {
      const res = s.call('POST', '/v2/orders', { body: marketBuy(1, { client_order_id: 'once' }) });
      expect(res).toEqual({ status: 422, body: { code: 40010001, message: 'client_order_id must be unique' } });
    }
    s.call('POST', '/v2/orders', { body: marketBuy(0) });
    s.submit(marketBuy(1, { client_order_id: 'twice' }));
    expect(s.engine.stats()).toMatchObject({
      submitted: 2,
      unique_client_order_ids: 2,
      duplicate_rejected: 3,
      rejected: 1,
      filled: 1,
      open: 1,
    });
  });

  it('reports a duplicate before any other check, so a retry always learns its order exists', () => {
    const s = setup();
    s.submit(marketBuy(900, { client_order_id: 'big' }));
    s.fake.advance(1000);
    // The same order again would now exceed buying power; the duplicate answer wins.
    const res = s.call('POST', '/v2/orders', { body: marketBuy(1900, { client_order_id: 'big' }) });
    expect(body(res).message).toBe('client_order_id must be unique');
  });

  it('refuses orders beyond buying power (2 x equity − positions − open buys) with 403', () => {
    const s = setup();
    // $100k cash → $200k buying power at multiplier 2.
    s.submit(marketBuy(1500)); // $150k
    const res = s.call('POST', '/v2/orders', { body: marketBuy(600) }); // another $60k
    expect(res).toEqual({ status: 403, body: { code: 40310000, message: 'insufficient buying power' } });
    const ok = s.call('POST', '/v2/orders', { body: marketBuy(400) });
    expect(ok.status).toBe(200);
    s.fake.advance(1000);
    expect(s.account()).toMatchObject({
      buying_power: '10000',
      cash: '-90000',
      equity: '100000',
      long_market_value: '190000',
    });
  });

  it('counts only the opening part of an order: covering a short needs no buying power', () => {
    const s = setup();
    s.submit({ symbol: 'AAPL', qty: '1000', side: 'sell', type: 'market', time_in_force: 'day' });
    s.fake.advance(100);
    expect(s.account()).toMatchObject({ short_market_value: '-100000', cash: '200000', buying_power: '100000' });
    s.submit(marketBuy(1500)); // 1000 cover (free) + 500 opening ($50k)
    expect(s.account().buying_power).toBe('50000');
  });

  it('refuses to sell more than held of a non-shortable asset, with Alpaca’s quantity fields', () => {
    const s = setup();
    s.submit(marketBuy(10, { symbol: 'NOSHORT' }));
    s.fake.advance(100);
    s.submit({ symbol: 'NOSHORT', qty: '4', side: 'sell', type: 'limit', limit_price: '99', time_in_force: 'gtc' });
    const res = s.call('POST', '/v2/orders', {
      body: { symbol: 'NOSHORT', qty: '7', side: 'sell', type: 'market', time_in_force: 'day' },
    });
    expect(res).toEqual({
      status: 403,
      body: {
        code: 40310000,
        message: 'insufficient qty available for order (requested: 7, available: 6)',
        available: '6',
        existing_qty: '10',
        held_for_orders: '4',
        symbol: 'NOSHORT',
      },
    });
    expect(
      s.call('POST', '/v2/orders', {
        body: { symbol: 'NOSHORT', qty: '6', side: 'sell', type: 'market', time_in_force: 'day' },
      }).status,
    ).toBe(200);
  });

  it('derives position_intent from the position unless given', () => {
    const s = setup();
    s.submit(marketBuy(5));
    s.fake.advance(100);
    const sell = s.submit({ symbol: 'AAPL', qty: '1', side: 'sell', type: 'market', time_in_force: 'day' });
    expect(sell.position_intent).toBe('sell_to_close');
    const given = s.submit(marketBuy(1, { position_intent: 'buy_to_close' }));
    expect(given.position_intent).toBe('buy_to_close');
  });

  it('draws ids from the seeded random: same seed, same ids; another seed, others', () => {
    const run = (seed: number) => {
      const s = setup({ seed });
      const ids: Json[] = [];
      for (let i = 0; i < 3; i++) ids.push(s.submit(marketBuy(1)));
      s.fake.advance(1000);
      return [...ids.map((o) => [o.id, o.client_order_id]), ...s.events().map((e) => e.execution_id ?? e.event)];
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('bounds history: the oldest terminal orders are evicted, open ones never', () => {
    const s = setup({ options: { maxOrdersPerAccount: 10 } });
    const open = s.submit(
      marketBuy(1, { type: 'limit', limit_price: '50', time_in_force: 'gtc', client_order_id: 'keep' }),
    );
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      ids.push(s.submit(marketBuy(1, { client_order_id: `c${i}` })).id as string);
      s.fake.advance(100);
    }
    expect(s.call('GET', `/v2/orders/${open.id}`).status).toBe(200);
    expect(s.call('GET', `/v2/orders/${ids[0]}`).status).toBe(404);
    expect(s.call('GET', `/v2/orders/${ids[29]}`).status).toBe(200);
    const all = s.call('GET', '/v2/orders', { query: { status: 'all', limit: 500 } }).body as Json[];
    expect(all.length).toBeLessThanOrEqual(10);
    // An evicted order's client_order_id is free again.
    expect(s.call('POST', '/v2/orders', { body: marketBuy(1, { client_order_id: 'c0' }) }).status).toBe(200);
  });

  it('refuses new orders when the history is full of open ones', () => {
    const s = setup({ options: { maxOrdersPerAccount: 3 } });
    for (let i = 0; i < 3; i++) s.submit(marketBuy(1, { type: 'limit', limit_price: '50', time_in_force: 'gtc' }));
    const res = s.call('POST', '/v2/orders', { body: marketBuy(1) });
    expect(res.status).toBe(422);
    expect(body(res).message).toMatch(/too many open orders/);
  });
});
