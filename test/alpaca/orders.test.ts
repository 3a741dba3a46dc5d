import { describe, expect, it } from 'vitest';
import { type ClientEvent, OrderStateUnknownError } from '../../src/alpaca/index.js';
import { AlpacaApiError, CircuitOpenError } from '../../src/http/errors.js';
import { pair, routeCount } from './setup.js';

const buy = (client_order_id?: string) => ({
  symbol: 'AAPL',
  qty: '1',
  side: 'buy' as const,
  type: 'market' as const,
  time_in_force: 'day' as const,
  ...(client_order_id && { client_order_id }),
});
const limitBuy = {
  symbol: 'AAPL',
  qty: '1',
  side: 'buy' as const,
  type: 'limit' as const,
  limit_price: '1.00',
  time_in_force: 'gtc' as const,
};

describe('exactly-once submit', () => {
  it('reset after commit: looks the order up by client_order_id instead of resubmitting', async () => {
    const { sim, client } = await pair({ faults: 'POST /v2/orders=reset-after,pass' });
    const steps: string[] = [];
    client.onEvent((e: ClientEvent) => e.type === 'order' && steps.push(e.step));
    const o = await client.trading.submitOrder(buy('reset-after-1'));
    expect(o.client_order_id).toBe('reset-after-1');
    expect(sim.stats().orders).toMatchObject({ submitted: 1, duplicate_rejected: 0 });
    expect(routeCount(sim, 'POST /v2/orders')).toEqual({ 'reset-after': 1 });
    expect(steps).toEqual(['ambiguous', 'reconciled-found']);
  });

  it('reset before the handler / 5xx: lookup proves it absent, then resubmits with the same id', async () => {
    // five failures in a row would (rightly) open the orders breaker at its default threshold of 5
    const { sim, client } = await pair(
      { faults: 'POST /v2/orders=reset-before,503,502,504,500,pass' },
      { breaker: { consecutiveFailures: 10 } },
    );
    const o = await client.trading.submitOrder(buy());
    expect(sim.stats().orders.submitted).toBe(1);
    expect(routeCount(sim, 'POST /v2/orders')).toEqual({
      'reset-before': 1,
      '503': 1,
      '502': 1,
      '504': 1,
      '500': 1,
      '200': 1,
    });
    expect(routeCount(sim, 'GET /v2/orders:by_client_order_id')).toEqual({ '404': 5 });
    expect((await client.trading.getOrderByClientId(o.client_order_id)).id).toBe(o.id);
  });

  it('a 422 "client_order_id must be unique" resolves to the existing order', async () => {
    const { sim, client } = await pair();
    const first = await client.trading.submitOrder(buy('dup-1'));
    const second = await client.trading.submitOrder(buy('dup-1'));
    expect(second.id).toBe(first.id);
    expect(sim.stats().orders).toMatchObject({ submitted: 1, duplicate_rejected: 1 });
    // the same id reused for a different order is the caller's mistake: reported, not papered over
    const clash = await client.trading.submitOrder({ ...buy('dup-1'), symbol: 'MSFT' }).catch((e: unknown) => e);
    expect(clash).toBeInstanceOf(AlpacaApiError);
    expect(clash).toMatchObject({ status: 422, alpacaCode: 40010001 });
  });

  it('429 on submit: not processed, so it waits and resubmits', async () => {
    const { sim, client } = await pair(
      { rate: '100000/1s', faults: 'POST /v2/orders=429,pass' },
      { rateLimit: { trading: { windows: [{ limit: 100_000, windowMs: 1000 }] } } },
    );
    await client.trading.submitOrder(buy());
    expect(routeCount(sim, 'POST /v2/orders')).toEqual({ '429': 1, '200': 1 });
    expect(routeCount(sim, 'GET /v2/orders:by_client_order_id')).toEqual({});
  });

  it('throws OrderStateUnknownError (with the client_order_id) when the state cannot be settled in the budget', async () => {
    const { client } = await pair(
      { faults: 'POST /v2/orders=reset-after;GET /v2/orders:by_client_order_id=503' },
      { orders: { budgetMs: 400 }, breaker: { consecutiveFailures: 1000 } },
    );
    const err = await client.trading.submitOrder(buy('unknown-1')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OrderStateUnknownError);
    expect(err).toMatchObject({ code: 'CORRAL_ORDER_STATE_UNKNOWN', clientOrderId: 'unknown-1', action: 'submit' });
  });

  it('an open circuit: a fresh submit is refused at once, one with an ambiguous attempt waits it out', async () => {
    const { sim, client } = await pair(
      { faults: 'POST /v2/orders=500,500' },
      { breaker: { consecutiveFailures: 2, breakDurationMs: 150, halfOpenProbes: 1 } },
    );
    const a = client.trading.submitOrder(buy('open-a'));
    for (let i = 0; i < 200 && client.breakers.get('orders').state().state !== 'open'; i++)
      await new Promise((r) => setTimeout(r, 2));
    expect(client.breakers.get('orders').state().state).toBe('open');
    await expect(client.trading.submitOrder(buy('open-b'))).rejects.toBeInstanceOf(CircuitOpenError);
    expect((await a).client_order_id).toBe('open-a');
    expect(sim.stats().orders.submitted).toBe(1);
    expect(routeCount(sim, 'POST /v2/orders')).toEqual({ '500': 2, '200': 1 });
  });

  it('chaos: 1,000 submits with 20 % of connections reset after commit → exactly 1,000 orders, no unknown outcome', async () => {
    // The breaker threshold is raised because 5 consecutive failures happen by chance at a 20 % failure rate.
    const { sim, client } = await pair(
      { seed: 5, faults: 'POST /v2/orders=reset-after@0.2' },
      { breaker: { consecutiveFailures: 1000, failureRatio: 1 } },
    );
    const ids = Array.from({ length: 1000 }, (_, i) => `chaos-${i}`);
    const results: Array<{ ok: boolean; err?: unknown }> = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < ids.length) {
          const id = ids[next++]!;
          try {
            const o = await client.trading.submitOrder({ ...limitBuy, client_order_id: id });
            expect(o.client_order_id).toBe(id);
            results.push({ ok: true });
          } catch (err) {
            results.push({ ok: false, err });
          }
        }
      }),
    );
    const failures = results.filter((r) => !r.ok);
    expect(failures.filter((f) => f.err instanceof OrderStateUnknownError)).toHaveLength(0);
    expect(failures).toHaveLength(0);
    const stats = sim.stats();
    expect(stats.orders.submitted).toBe(1000);
    expect(stats.orders.unique_client_order_ids).toBe(1000);
    const posts = routeCount(sim, 'POST /v2/orders');
    expect(posts['reset-after']).toBeGreaterThan(150);
    // every 422 the server sent is a duplicate it rejected, and each was resolved to the existing order
    expect(posts['422'] ?? 0).toBe(stats.orders.duplicate_rejected);
    expect((await client.trading.listOrders({ status: 'all', limit: 500 })).length).toBe(500);
  }, 120_000);
});

describe('replace and cancel with the same care', () => {
  it('replace after a reset-after finds the replacement by its client_order_id (exactly one replacement)', async () => {
    const { sim, client } = await pair({ faults: 'PATCH /v2/orders/{order_id}=reset-after,pass' });
    const o = await client.trading.submitOrder(limitBuy);
    const r = await client.trading.replaceOrder(o.id, { limit_price: '1.10', client_order_id: 'repl-1' });
    expect(r.client_order_id).toBe('repl-1');
    expect(r.replaces).toBe(o.id);
    expect(routeCount(sim, 'PATCH /v2/orders/{order_id}')).toEqual({ 'reset-after': 1 });
    expect(sim.stats().orders.replaced).toBe(1);
  });

  it('replace after a 5xx that did nothing resubmits; a definite 422 is reported', async () => {
    const { client } = await pair({ faults: 'PATCH /v2/orders/{order_id}=503,pass' });
    const o = await client.trading.submitOrder(limitBuy);
    const r = await client.trading.replaceOrder(o.id, { limit_price: '1.20' });
    expect(r.limit_price).toBe('1.2');
    await expect(client.trading.replaceOrder(o.id, { limit_price: '1.30' })).rejects.toMatchObject({ status: 422 });
  });

  it('a retried cancel that meets 422 confirms the order is canceled before reporting success', async () => {
    const { sim, client } = await pair({ faults: 'DELETE /v2/orders/{order_id}=reset-after,pass' });
    const o = await client.trading.submitOrder(limitBuy);
    await client.trading.cancelOrder(o.id);
    expect(routeCount(sim, 'DELETE /v2/orders/{order_id}')).toEqual({ 'reset-after': 1, '422': 1 });
    expect((await client.trading.getOrder(o.id)).status).toBe('canceled');
  });

  it('cancel of a filled order reports the 422 (not cancelable)', async () => {
    const { client } = await pair();
    const o = await client.trading.submitOrder(buy());
    for (let i = 0; i < 100 && (await client.trading.getOrder(o.id)).status !== 'filled'; i++)
      await new Promise((r) => setTimeout(r, 10));
    const err = await client.trading.cancelOrder(o.id).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 422, alpacaCode: 42210000 });
  });
});
