import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Json, list, setup } from './setup.js';

type Op =
  | {
      kind: 'order';
      side: 'buy' | 'sell';
      type: 'market' | 'limit' | 'stop';
      qty: number;
      offset: number;
      tif: 'day' | 'gtc' | 'ioc';
    }
  | { kind: 'price'; price: number }
  | { kind: 'wait'; ms: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'replace'; pick: number; offset: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('order' as const),
    side: fc.constantFrom('buy' as const, 'sell' as const),
    type: fc.constantFrom('market' as const, 'limit' as const, 'stop' as const),
    qty: fc.integer({ min: 1, max: 40 }),
    offset: fc.integer({ min: -5, max: 5 }),
    tif: fc.constantFrom('day' as const, 'gtc' as const, 'ioc' as const),
  }),
  fc.record({ kind: fc.constant('price' as const), price: fc.integer({ min: 90, max: 110 }) }),
  fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 500 }) }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), offset: fc.integer({ min: -5, max: 5 }) }),
);

describe('engine invariants under random operations', () => {
  it('books every fill exactly once into cash, positions and events', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.integer({ min: 1, max: 50 }), (ops, liquidity) => {
        const s = setup();
        s.market.setLiquidity('AAPL', liquidity);
        let price = 100;
        const ids: string[] = [];
        for (const o of ops) {
          if (o.kind === 'order') {
            const tif = o.type === 'stop' && o.tif === 'ioc' ? 'day' : o.tif;
            const ref = String(price + o.offset);
            const body: Json = { symbol: 'AAPL', qty: String(o.qty), side: o.side, type: o.type, time_in_force: tif };
            if (o.type === 'limit') body.limit_price = ref;
            if (o.type === 'stop') body.stop_price = ref;
            const res = s.call('POST', '/v2/orders', { body });
            if (res.status === 200) ids.push((res.body as Json).id as string);
            else expect([403, 422]).toContain(res.status);
          } else if (o.kind === 'price') {
            price = o.price;
            s.market.setPrice('AAPL', price);
          } else if (o.kind === 'wait') {
            s.fake.advance(o.ms);
          } else if (ids.length > 0) {
            const id = ids[o.pick % ids.length]!;
            if (o.kind === 'cancel') {
              expect([204, 422]).toContain(s.call('DELETE', `/v2/orders/${id}`).status);
            } else {
              const res = s.call('PATCH', `/v2/orders/${id}`, { body: { limit_price: String(price + o.offset) } });
              if (res.status === 200) ids.push((res.body as Json).id as string);
            }
          }
        }
        s.fake.advance(1000);

        const fills = s.events().filter((e) => e.event === 'fill' || e.event === 'partial_fill');
        let qty = 0;
        let cash = 100_000;
        for (const f of fills) {
          const q = Number(f.qty) * (f.order.side === 'buy' ? 1 : -1);
          qty += q;
          cash -= q * Number(f.price);
          expect(Number(f.position_qty)).toBeCloseTo(qty, 6);
        }
        const positions = list(s.call('GET', '/v2/positions'));
        expect(positions.length > 0 ? Number(positions[0]!.qty) : 0).toBeCloseTo(qty, 6);
        const account = s.account();
        expect(Number(account.cash)).toBeCloseTo(cash, 2);
        expect(Number(account.buying_power)).toBeGreaterThanOrEqual(0);
        expect(Number(account.equity)).toBeCloseTo(cash + qty * price, 2);

        const all = list(s.call('GET', '/v2/orders', { query: { status: 'all', limit: 500 } }));
        const open = all.filter((o) => ['new', 'accepted', 'partially_filled', 'held'].includes(o.status as string));
        expect(s.engine.stats().open).toBe(open.length);
        for (const o of all) {
          expect(Number(o.filled_qty)).toBeLessThanOrEqual(Number(o.qty) + 1e-9);
          const seq = s.eventsOf(o.id as string);
          if (o.replaces === null || seq.length > 0) expect(seq[0]).toBe('new:new');
          const terminal = seq.filter((e) => /^(fill|canceled|expired|replaced):/.test(e));
          expect(terminal.length).toBe(open.includes(o) ? 0 : 1);
          expect(seq.at(-1)!.split(':')[1]).toBe(o.status);
        }
      }),
      { numRuns: 60, seed: 20240723 },
    );
  });
});
