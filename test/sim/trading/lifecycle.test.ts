import { describe, expect, it } from 'vitest';
import { body, type Json, list, marketBuy, setup } from './setup.js';

const restingBuy = (extra: Json = {}): Json => ({
  symbol: 'AAPL',
  qty: '10',
  side: 'buy',
  type: 'limit',
  limit_price: '90',
  time_in_force: 'gtc',
  ...extra,
});

describe('DELETE /v2/orders/{order_id}', () => {
  it('cancels an open order with 204 and a canceled event', () => {
    const s = setup();
    const o = s.submit(restingBuy());
    const id = o.id as string;
    s.fake.advance(1000);
    expect(s.call('DELETE', `/v2/orders/${id}`)).toEqual({ status: 204 });
    expect(s.getOrder(id)).toMatchObject({ status: 'canceled', canceled_at: '2024-07-23T14:00:01.000000000Z' });
    expect(s.eventsOf(id)).toEqual(['new:new', 'canceled:canceled']);
    expect(s.engine.stats()).toMatchObject({ canceled: 1, open: 0 });
    expect(s.account().buying_power).toBe('200000');
  });

  it('422 with the actual state when not cancelable, 404 when unknown', () => {
    const s = setup();
    const o = s.submit(marketBuy(1));
    s.fake.advance(100);
    expect(s.call('DELETE', `/v2/orders/${o.id}`)).toEqual({
      status: 422,
      body: { code: 42210000, message: 'order is already in "filled" state' },
    });
    const r = s.submit(restingBuy());
    s.call('DELETE', `/v2/orders/${r.id}`);
    expect(body(s.call('DELETE', `/v2/orders/${r.id}`)).message).toBe('order is already in "canceled" state');
    expect(s.call('DELETE', '/v2/orders/00000000-0000-4000-8000-000000000000')).toEqual({
      status: 404,
      body: { code: 40410000, message: 'order not found' },
    });
  });
});

describe('DELETE /v2/orders', () => {
  it('cancels every open order and answers 207 with each order', () => {
    const s = setup();
    const a = s.submit(restingBuy());
    const b = s.submit(restingBuy({ limit_price: '80' }));
    const filled = s.submit(marketBuy(1));
    s.fake.advance(100);
    const res = s.call('DELETE', '/v2/orders');
    expect(res.status).toBe(207);
    const rows = list(res);
    expect(rows.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
    for (const r of rows) expect(r).toMatchObject({ status: 200, body: { status: 'canceled' } });
    expect(s.getOrder(filled.id as string).status).toBe('filled');
    expect(list(s.call('DELETE', '/v2/orders'))).toEqual([]);
  });
});

describe('PATCH /v2/orders/{order_id}', () => {
  it('replaces with a new order: new id, replaces/replaced_by links, old one "replaced"', () => {
    const s = setup();
    const old = s.submit(restingBuy({ client_order_id: 'v1' }));
    s.fake.advance(100);
    const res = s.call('PATCH', `/v2/orders/${old.id}`, { body: { limit_price: '91', qty: '12' } });
    expect(res.status).toBe(200);
    const next = body(res);
    expect(next.id).not.toBe(old.id);
    expect(next).toMatchObject({ replaces: old.id, limit_price: '91', qty: '12', status: 'accepted', type: 'limit' });
    expect(next.client_order_id).not.toBe('v1');
    const was = s.getOrder(old.id as string);
    expect(was).toMatchObject({
      status: 'replaced',
      replaced_by: next.id,
      replaced_at: '2024-07-23T14:00:00.100000000Z',
    });
    s.fake.advance(100);
    expect(s.getOrder(next.id as string).status).toBe('new');
    expect(s.eventsOf(old.id as string)).toEqual(['new:new', 'replaced:replaced']);
    expect(s.eventsOf(next.id as string)).toEqual(['new:new']);
    expect(s.engine.stats()).toMatchObject({ replaced: 1, open: 1, submitted: 1 });
    // Exposure moved from the old order to the new one: 12 × 91.
    expect(s.account().buying_power).toBe(String(200_000 - 12 * 91));
  });

  it('keeps an unspecified qty as the remaining quantity and takes a new unique client_order_id', () => {
    const s = setup();
    s.market.setLiquidity('AAPL', 4);
    s.market.setPrice('AAPL', 89);
    const old = s.submit(restingBuy());
    s.fake.advance(50);
    s.market.setPrice('AAPL', 100);
    expect(s.getOrder(old.id as string)).toMatchObject({ status: 'partially_filled', filled_qty: '4' });
    const next = body(
      s.call('PATCH', `/v2/orders/${old.id}`, { body: { client_order_id: 'v2', time_in_force: 'day' } }),
    );
    expect(next).toMatchObject({ qty: '6', client_order_id: 'v2', time_in_force: 'day' });
    expect(body(s.call('GET', '/v2/orders:by_client_order_id', { query: { client_order_id: 'v2' } })).id).toBe(next.id);
    const dup = s.call('PATCH', `/v2/orders/${next.id}`, { body: { client_order_id: 'v2' } });
    expect(dup).toEqual({ status: 422, body: { code: 40010001, message: 'client_order_id must be unique' } });
  });

  it('trailing stops take a new trail', () => {
    const s = setup();
    const o = s.submit({
      symbol: 'AAPL',
      qty: '1',
      side: 'sell',
      type: 'trailing_stop',
      trail_percent: '2',
      time_in_force: 'gtc',
    });
    const next = body(s.call('PATCH', `/v2/orders/${o.id}`, { body: { trail: '5' } }));
    expect(next).toMatchObject({ trail_percent: '5', trail_price: null, stop_price: '95', hwm: '100' });
  });

  const refusals: Array<[string, Json, Json, number, string]> = [
    ['market orders', marketBuy(1, { time_in_force: 'gtc' }), {}, 422, 'market orders cannot be replaced'],
    [
      'limit_price on a stop',
      { ...restingBuy(), type: 'stop', stop_price: '110' },
      { limit_price: '1' },
      422,
      'limit_price cannot be set for stop orders',
    ],
    ['stop_price on a limit', restingBuy(), { stop_price: '1' }, 422, 'stop_price cannot be set for limit orders'],
    ['trail on a limit', restingBuy(), { trail: '1' }, 422, 'trail cannot be set for limit orders'],
    ['zero qty', restingBuy(), { qty: '0' }, 422, 'qty must be > 0'],
    ['fractional qty', restingBuy(), { qty: '1.5' }, 422, 'fractional orders must be market day orders'],
    ['bad tif', restingBuy(), { time_in_force: 'never' }, 422, 'invalid time_in_force'],
    [
      'sub-penny price',
      restingBuy(),
      { limit_price: '90.001' },
      422,
      'invalid limit_price 90.001. sub-penny increment does not fulfill minimum pricing criteria',
    ],
    ['beyond buying power', restingBuy(), { qty: '5000' }, 403, 'insufficient buying power'],
  ];

  it.each(refusals)('refuses %s', (_name, order, patch, status, message) => {
    const s = setup();
    const o = s.submit(order);
    const res = s.call('PATCH', `/v2/orders/${o.id}`, { body: patch });
    expect(res.status).toBe(status);
    expect(body(res).message).toBe(message);
    // The original is untouched.
    expect(s.getOrder(o.id as string).status).not.toBe('replaced');
  });

  it('422 for terminal orders, 404 for unknown ones, 400 for a non-object body', () => {
    const s = setup();
    const o = s.submit(restingBuy());
    s.call('DELETE', `/v2/orders/${o.id}`);
    expect(s.call('PATCH', `/v2/orders/${o.id}`, { body: { qty: '1' } })).toEqual({
      status: 422,
      body: { code: 42210000, message: 'order is already in "canceled" state' },
    });
    expect(s.call('PATCH', '/v2/orders/nope', { body: {} }).status).toBe(404);
    const open = s.submit(restingBuy());
    expect(s.call('PATCH', `/v2/orders/${open.id}`, { body: [1] }).status).toBe(400);
  });
});

describe('bracket, oco and oto orders', () => {
  const bracket = (extra: Json = {}): Json =>
    marketBuy(10, {
      order_class: 'bracket',
      time_in_force: 'gtc',
      take_profit: { limit_price: '110' },
      stop_loss: { stop_price: '95' },
      ...extra,
    });

  it('returns the entry with held legs; the legs go live when the entry fills', () => {
    const s = setup();
    const o = s.submit(bracket());
    expect(o).toMatchObject({ order_class: 'bracket', status: 'accepted' });
    const legs = o.legs as Json[];
    expect(legs).toHaveLength(2);
    expect(legs[0]).toMatchObject({
      type: 'limit',
      side: 'sell',
      limit_price: '110',
      qty: '10',
      status: 'held',
      order_class: 'bracket',
      position_intent: 'sell_to_close',
    });
    expect(legs[1]).toMatchObject({ type: 'stop', side: 'sell', stop_price: '95', status: 'held' });
    s.fake.advance(100);
    const after = s.getOrder(o.id as string);
    expect(after.status).toBe('filled');
    expect((after.legs as Json[]).map((l) => l.status)).toEqual(['new', 'new']);
    expect(s.events().map((e) => `${e.event}:${e.order.type}`)).toEqual([
      'new:market',
      'fill:market',
      'new:limit',
      'new:stop',
    ]);
  });

  it('take-profit fills → stop-loss canceled (and the position closes)', () => {
    const s = setup();
    const o = s.submit(bracket());
    s.fake.advance(100);
    s.market.setPrice('AAPL', 111);
    s.fake.advance(200);
    const legs = s.getOrder(o.id as string).legs as Json[];
    expect(legs.map((l) => l.status)).toEqual(['filled', 'canceled']);
    expect(legs[0]!.filled_avg_price).toBe('111');
    expect(list(s.call('GET', '/v2/positions'))).toEqual([]);
    expect(s.account().cash).toBe(String(100_000 - 1000 + 1110));
  });

  it('stop-loss triggers → take-profit canceled', () => {
    const s = setup();
    const o = s.submit(bracket());
    s.fake.advance(100);
    s.market.setPrice('AAPL', 94);
    s.fake.advance(200);
    const legs = s.getOrder(o.id as string).legs as Json[];
    expect(legs.map((l) => l.status)).toEqual(['canceled', 'filled']);
  });

  it('a partial exit fill shrinks the sibling', () => {
    const s = setup();
    const o = s.submit(bracket());
    s.fake.advance(100);
    s.market.setLiquidity('AAPL', 4);
    s.market.setPrice('AAPL', 111);
    s.fake.advance(100);
    s.market.setPrice('AAPL', 100);
    const legs = s.getOrder(o.id as string).legs as Json[];
    expect(legs[0]).toMatchObject({ status: 'partially_filled', filled_qty: '4' });
    expect(legs[1]).toMatchObject({ status: 'new', qty: '6' });
  });

  it('canceling the unfilled entry cancels its legs; cancel-all includes them', () => {
    const s = setup();
    const o = s.submit(
      bracket({
        type: 'limit',
        limit_price: '90',
        take_profit: { limit_price: '100' },
        stop_loss: { stop_price: '85' },
      }),
    );
    expect(s.call('DELETE', `/v2/orders/${o.id}`).status).toBe(204);
    const after = s.getOrder(o.id as string);
    expect([after.status, ...(after.legs as Json[]).map((l) => l.status)]).toEqual([
      'canceled',
      'canceled',
      'canceled',
    ]);
    const p = s.submit(
      bracket({
        type: 'limit',
        limit_price: '90',
        take_profit: { limit_price: '100' },
        stop_loss: { stop_price: '85' },
      }),
    );
    expect(list(s.call('DELETE', '/v2/orders')).map((r) => r.id)).toEqual([
      p.id,
      ...(p.legs as Json[]).map((l) => l.id),
    ]);
  });

  it('legs can be replaced and stay linked to their bracket', () => {
    const s = setup();
    const o = s.submit(bracket());
    s.fake.advance(100);
    const sl = (s.getOrder(o.id as string).legs as Json[])[1]!;
    const moved = body(s.call('PATCH', `/v2/orders/${sl.id}`, { body: { stop_price: '99' } }));
    expect(moved).toMatchObject({ stop_price: '99', replaces: sl.id });
    s.fake.advance(100);
    expect((s.getOrder(o.id as string).legs as Json[]).map((l) => [l.id, l.status])).toEqual([
      [(o.legs as Json[])[0]!.id, 'new'],
      [moved.id, 'new'],
    ]);
    s.market.setPrice('AAPL', 98.5);
    s.fake.advance(200);
    expect((s.getOrder(o.id as string).legs as Json[]).map((l) => l.status)).toEqual(['canceled', 'filled']);
    // The entry itself has legs and is not replaceable.
    const again = s.submit(
      bracket({
        type: 'limit',
        limit_price: '90',
        take_profit: { limit_price: '100' },
        stop_loss: { stop_price: '85' },
      }),
    );
    expect(body(s.call('PATCH', `/v2/orders/${again.id}`, { body: { limit_price: '91' } })).message).toBe(
      'orders with legs cannot be replaced; cancel and resubmit',
    );
  });

  it('oco: a limit and a stop, both live; one fills, the other is canceled', () => {
    const s = setup();
    s.submit(marketBuy(5));
    s.fake.advance(100);
    const o = s.submit({
      symbol: 'AAPL',
      qty: '5',
      side: 'sell',
      type: 'limit',
      time_in_force: 'gtc',
      order_class: 'oco',
      take_profit: { limit_price: '105' },
      stop_loss: { stop_price: '95', limit_price: '94' },
    });
    expect(o).toMatchObject({ type: 'limit', limit_price: '105', order_class: 'oco' });
    expect((o.legs as Json[])[0]).toMatchObject({
      type: 'stop_limit',
      side: 'sell',
      stop_price: '95',
      limit_price: '94',
    });
    s.fake.advance(100);
    const live = s.getOrder(o.id as string);
    expect([live.status, (live.legs as Json[])[0]!.status]).toEqual(['new', 'new']);
    // Both exits reserve the same shares once: 5 held, not 10.
    expect(list(s.call('GET', '/v2/positions'))[0]).toMatchObject({ qty: '5', qty_available: '0' });
    s.market.setPrice('AAPL', 106);
    s.fake.advance(100);
    const done = s.getOrder(o.id as string);
    expect([done.status, (done.legs as Json[])[0]!.status]).toEqual(['filled', 'canceled']);
  });

  it('oto: one exit leg, held until the entry fills', () => {
    const s = setup();
    const o = s.submit(marketBuy(2, { order_class: 'oto', stop_loss: { stop_price: '90' } }));
    expect((o.legs as Json[]).map((l) => [l.type, l.status])).toEqual([['stop', 'held']]);
    s.fake.advance(100);
    expect((s.getOrder(o.id as string).legs as Json[])[0]!.status).toBe('new');
  });

  it('a partially filled entry that is canceled arms its legs for the filled quantity', () => {
    const s = setup();
    s.market.setLiquidity('AAPL', 3);
    const o = s.submit(bracket());
    s.fake.advance(50);
    s.call('DELETE', `/v2/orders/${o.id}`);
    const after = s.getOrder(o.id as string);
    expect(after).toMatchObject({ status: 'canceled', filled_qty: '3' });
    expect((after.legs as Json[]).map((l) => [l.status, l.qty])).toEqual([
      ['new', '3'],
      ['new', '3'],
    ]);
  });
});
