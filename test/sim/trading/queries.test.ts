import { describe, expect, it } from 'vitest';
import { body, type Json, list, marketBuy, setup } from './setup.js';

const resting = (extra: Json = {}): Json => ({
  symbol: 'AAPL',
  qty: '1',
  side: 'buy',
  type: 'limit',
  limit_price: '50',
  time_in_force: 'gtc',
  ...extra,
});

/** Three filled, four open (one SPY sell), submitted 1 s apart. */
function populated() {
  const s = setup();
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    ids.push(s.submit(marketBuy(1)).id as string);
    s.fake.advance(1000);
  }
  for (let i = 0; i < 3; i++) {
    ids.push(s.submit(resting()).id as string);
    s.fake.advance(1000);
  }
  ids.push(s.submit(resting({ symbol: 'SPY', side: 'sell', limit_price: '300' })).id as string);
  return { s, ids };
}

const idsOf = (rows: Json[]) => rows.map((r) => r.id);

describe('GET /v2/orders', () => {
  it('lists open orders, newest first, by default', () => {
    const { s, ids } = populated();
    expect(idsOf(list(s.call('GET', '/v2/orders')))).toEqual([ids[6], ids[5], ids[4], ids[3]]);
  });

  it('filters by status, direction, limit, symbols and side', () => {
    const { s, ids } = populated();
    const q = (query: Json) => idsOf(list(s.call('GET', '/v2/orders', { query: query as Record<string, string> })));
    expect(q({ status: 'closed' })).toEqual([ids[2], ids[1], ids[0]]);
    expect(q({ status: 'all', direction: 'asc' })).toEqual(ids);
    expect(q({ status: 'all', limit: 2 })).toEqual([ids[6], ids[5]]);
    expect(q({ status: 'all', symbols: 'spy' })).toEqual([ids[6]]);
    expect(q({ status: 'all', symbols: 'AAPL,SPY', side: 'sell' })).toEqual([ids[6]]);
    expect(q({ status: 'all', side: 'buy', direction: 'asc', limit: 1 })).toEqual([ids[0]]);
  });

  it('after/until are exclusive and accept the created_at a client echoes back', () => {
    const { s, ids } = populated();
    const all = list(s.call('GET', '/v2/orders', { query: { status: 'all', direction: 'asc' } }));
    const q = (query: Record<string, string>) =>
      idsOf(list(s.call('GET', '/v2/orders', { query: { status: 'all', direction: 'asc', ...query } })));
    expect(q({ after: all[1]!.created_at as string })).toEqual(ids.slice(2));
    expect(q({ until: all[1]!.created_at as string })).toEqual([ids[0]]);
    expect(q({ after: all[0]!.created_at as string, until: all[3]!.created_at as string })).toEqual([ids[1], ids[2]]);
    expect(q({ after: '2024-07-23T14:00:02.5-00:00' })).toEqual(ids.slice(3));
    expect(q({ until: '2024-07-23' })).toEqual([]);
  });

  it('pages losslessly with until even when orders share a market instant', () => {
    const s = setup();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(s.submit(resting()).id as string);
    const seen: unknown[] = [];
    let until: string | undefined;
    for (let page = 0; page < 10; page++) {
      const rows = list(s.call('GET', '/v2/orders', { query: { limit: 3, ...(until ? { until } : {}) } }));
      if (rows.length === 0) break;
      seen.push(...idsOf(rows));
      until = rows.at(-1)!.created_at as string;
    }
    expect(seen).toEqual([...ids].reverse());
  });

  it.each([
    [{ status: 'pending' }, 'invalid status'],
    [{ limit: '0' }, 'limit must be between 1 and 500'],
    [{ limit: '501' }, 'limit must be between 1 and 500'],
    [{ limit: 'many' }, 'limit must be between 1 and 500'],
    [{ direction: 'up' }, 'invalid direction'],
    [{ after: 'yesterday' }, 'invalid after'],
    [{ until: '2024-13-45T99:00:00Z' }, 'invalid until'],
    [{ side: 'short' }, 'invalid side'],
    [{ nested: 'maybe' }, 'invalid nested'],
  ])('422 for %j', (query, message) => {
    const s = setup();
    expect(s.call('GET', '/v2/orders', { query })).toEqual({ status: 422, body: { code: 40010001, message } });
  });

  it('lists bracket legs as orders, or nested under the parent with nested=true', () => {
    const s = setup();
    const o = s.submit(
      marketBuy(1, { order_class: 'bracket', take_profit: { limit_price: '110' }, stop_loss: { stop_price: '90' } }),
    );
    const legIds = (o.legs as Json[]).map((l) => l.id);
    s.fake.advance(100); // entry filled, legs open
    const flat = list(s.call('GET', '/v2/orders', { query: { status: 'all', direction: 'asc' } }));
    expect(idsOf(flat)).toEqual([o.id, ...legIds]);
    expect(flat[0]!.legs).toBeNull();
    const nested = list(s.call('GET', '/v2/orders', { query: { nested: 'true' } }));
    expect(idsOf(nested)).toEqual([o.id]); // open while its legs are
    expect(idsOf(nested[0]!.legs as Json[])).toEqual(legIds);
    expect(idsOf(list(s.call('GET', '/v2/orders', { query: { status: 'closed', nested: 'true' } })))).toEqual([]);
  });
});

describe('GET one order', () => {
  it('by id (legs nested unless nested=false), 404 when unknown', () => {
    const s = setup();
    const o = s.submit(marketBuy(1, { order_class: 'oto', take_profit: { limit_price: '120' } }));
    expect((s.getOrder(o.id as string).legs as Json[]).length).toBe(1);
    expect(body(s.call('GET', `/v2/orders/${o.id}`, { query: { nested: 'false' } })).legs).toBeNull();
    expect(s.call('GET', '/v2/orders/11111111-1111-4111-8111-111111111111')).toEqual({
      status: 404,
      body: { code: 40410000, message: 'order not found' },
    });
  });

  it('by client_order_id: found, 404 when unknown, 422 when missing', () => {
    const s = setup();
    const o = s.submit(marketBuy(1, { client_order_id: 'abc/def ghi' }));
    const got = s.call('GET', '/v2/orders:by_client_order_id', { query: { client_order_id: 'abc/def ghi' } });
    expect(body(got).id).toBe(o.id);
    expect(s.call('GET', '/v2/orders:by_client_order_id', { query: { client_order_id: 'nope' } })).toEqual({
      status: 404,
      body: { code: 40410000, message: 'order not found' },
    });
    expect(s.call('GET', '/v2/orders:by_client_order_id')).toEqual({
      status: 422,
      body: { code: 40010001, message: 'client_order_id is required' },
    });
  });

  it('keeps lookups O(1) with thousands of orders', () => {
    const s = setup();
    let last: Json = {};
    for (let i = 0; i < 3000; i++) last = s.submit(resting({ client_order_id: `bulk-${i}` }));
    const before = s.market.calls.priceAt;
    expect(body(s.call('GET', '/v2/orders:by_client_order_id', { query: { client_order_id: 'bulk-2999' } })).id).toBe(
      last.id,
    );
    expect(s.getOrder(last.id as string).client_order_id).toBe('bulk-2999');
    expect(s.market.calls.priceAt - before).toBe(0);
    expect(list(s.call('GET', '/v2/orders', { query: { limit: 500 } }))).toHaveLength(500);
  });
});
