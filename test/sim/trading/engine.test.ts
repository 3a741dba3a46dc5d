import { describe, expect, it } from 'vitest';
import { ScaledClock } from '../../../src/core/clock.js';
import { ConfigError } from '../../../src/core/errors.js';
import { FakeClock } from '../../../src/core/fake-clock.js';
import { SeededRandom } from '../../../src/core/random.js';
import { TradeEventLog } from '../../../src/sim/trade-events.js';
import { createTradingEngine } from '../../../src/sim/trading/index.js';
import type { SimDeps } from '../../../src/sim/types.js';
import { demoAccount, makeCaller } from '../harness.js';
import { FakeMarket, START } from './fake-market.js';
import { body, type Json, list, marketBuy, setup } from './setup.js';

describe('engine', () => {
  it('reset() restores initial cash, drops orders and positions, zeroes counters and timers', () => {
    const s = setup();
    const first = s.submit(marketBuy(10));
    s.fake.advance(100);
    s.submit(marketBuy(1, { type: 'limit', limit_price: '50', time_in_force: 'gtc', client_order_id: 'x' }));
    s.call('POST', '/v2/orders', { body: marketBuy(1, { client_order_id: 'x' }) });
    expect(s.fake.pendingTimers()).toBe(1);
    s.engine.reset();
    expect(s.fake.pendingTimers()).toBe(0);
    expect(s.engine.stats()).toEqual({
      submitted: 0,
      unique_client_order_ids: 0,
      duplicate_rejected: 0,
      open: 0,
      filled: 0,
      canceled: 0,
      replaced: 0,
      rejected: 0,
    });
    expect(s.account()).toMatchObject({ cash: '100000', equity: '100000', buying_power: '200000' });
    expect(list(s.call('GET', '/v2/positions'))).toEqual([]);
    expect(list(s.call('GET', '/v2/orders', { query: { status: 'all' } }))).toEqual([]);
    expect(s.call('GET', `/v2/orders/${first.id}`).status).toBe(404);
    // client_order_ids are free again; ids keep coming from the same stream (no reuse after a reset).
    const again = s.submit(marketBuy(10, { client_order_id: 'x' }));
    expect(again.id).not.toBe(first.id);
  });

  it('close() clears timers and arms no new ones; requests are still served', () => {
    const s = setup();
    const o = s.submit(marketBuy(1, { type: 'limit', limit_price: '50', time_in_force: 'gtc' }));
    s.engine.close();
    expect(s.fake.pendingTimers()).toBe(0);
    s.submit(marketBuy(1));
    expect(s.fake.pendingTimers()).toBe(0);
    expect(s.getOrder(o.id as string).status).toBe('new');
  });

  it('produces the same order ids, executions and event stream for the same seed and requests', () => {
    const run = () => {
      const s = setup({ seed: 'same' });
      s.market.setLiquidity('AAPL', 3);
      s.submit(marketBuy(10));
      s.submit(
        marketBuy(5, { order_class: 'bracket', take_profit: { limit_price: '101' }, stop_loss: { stop_price: '99' } }),
      );
      s.fake.advance(1000);
      s.market.setPrice('AAPL', 102);
      s.fake.advance(1000);
      return s.events();
    };
    const a = run();
    expect(a.length).toBeGreaterThan(8);
    expect(run()).toEqual(a);
  });

  it('catches up in bounded work after a long gap without timers', () => {
    const s = setup({ options: { maxCatchUpSteps: 50 } });
    s.market.setLiquidity('AAPL', 1);
    const o = s.submit(marketBuy(1000));
    s.engine.close();
    s.fake.advance(3_600_000);
    const before = s.market.calls.priceAt;
    const got = s.getOrder(o.id as string);
    expect(s.market.calls.priceAt - before).toBeLessThan(200);
    expect(Number(got.filled_qty)).toBeGreaterThan(0);
    expect(Number(got.filled_qty)).toBeLessThan(1000);
  });

  it('survives a failing market model in a timer; the next request reports it and recovers', () => {
    const s = setup();
    const o = s.submit(marketBuy(1));
    const real = s.market.priceAt.bind(s.market);
    let broken = true;
    s.market.priceAt = (symbol: string, t: number) => {
      if (broken) throw new Error('market down');
      return real(symbol, t);
    };
    expect(() => s.fake.advance(1000)).not.toThrow();
    expect(() => s.call('GET', `/v2/orders/${o.id}`)).toThrow('market down');
    broken = false;
    expect(s.getOrder(o.id as string).status).toBe('filled');
    expect(s.fake.pendingTimers()).toBe(0);
  });

  it('validates its options, naming the field', () => {
    const s = setup();
    expect(() => createTradingEngine(s.deps, [demoAccount], { stepMs: -1 })).toThrow(ConfigError);
    expect(() => createTradingEngine(s.deps, [demoAccount], { stepMs: -1 })).toThrow(/trading\.stepMs/);
    expect(() => createTradingEngine(s.deps, [demoAccount], { bogus: 1 } as never)).toThrow(ConfigError);
  });

  it('widens the step grid for fast-forwarded markets (at most one step per minHostStepMs of host time)', () => {
    const fake = new FakeClock({ wallNow: START });
    const marketClock = new ScaledClock(fake, 0.001, START); // market runs 1000x faster
    const market = new FakeMarket(marketClock);
    const deps: SimDeps = {
      clock: fake,
      marketClock,
      timeScale: 0.001,
      market,
      random: new SeededRandom(1),
      tradeEvents: new TradeEventLog(),
      fillLatencyMs: 50,
    };
    const engine = createTradingEngine(deps, [demoAccount]);
    const call = makeCaller(engine.routes());
    const o = body(
      call('POST', '/v2/orders', { body: { ...marketBuy(1), type: 'limit', limit_price: '50', time_in_force: 'gtc' } }),
    );
    const before = market.calls.priceAt;
    fake.advance(100); // 100 host ms = 100 market s → 20 steps of 5 market s
    expect(market.calls.priceAt - before).toBeLessThanOrEqual(21);
    expect(market.calls.priceAt - before).toBeGreaterThan(5);
    market.setPrice('AAPL', 49);
    fake.advance(10);
    expect(body(call('GET', `/v2/orders/${o.id}`)).status).toBe('filled');
    engine.close();
  });

  it('emits the documented event sequence for each lifecycle', () => {
    const s = setup();
    s.market.setLiquidity('AAPL', 6);
    const filled = s.submit(marketBuy(10)).id as string;
    const canceled = s.submit(marketBuy(1, { type: 'limit', limit_price: '50', time_in_force: 'gtc' })).id as string;
    const replaced = s.submit(marketBuy(1, { type: 'limit', limit_price: '51', time_in_force: 'gtc' })).id as string;
    s.fake.advance(200);
    s.call('DELETE', `/v2/orders/${canceled}`);
    const replacement = body(s.call('PATCH', `/v2/orders/${replaced}`, { body: { limit_price: '52' } })).id as string;
    s.fake.advance(100);
    expect(s.eventsOf(filled)).toEqual(['new:new', 'partial_fill:partially_filled', 'fill:filled']);
    expect(s.eventsOf(canceled)).toEqual(['new:new', 'canceled:canceled']);
    expect(s.eventsOf(replaced)).toEqual(['new:new', 'replaced:replaced']);
    expect(s.eventsOf(replacement)).toEqual(['new:new']);
    for (const e of s.events()) {
      expect(e.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/);
      expect(e.at).toBe(e.timestamp);
    }
    const seqs = s.tradeEvents.since(demoAccount.id).map((r) => r.update.event_id);
    expect([...seqs].sort()).toEqual(seqs);
  });

  it('serves thousands of open orders per account', () => {
    const s = setup();
    for (let i = 0; i < 2000; i++) s.submit(marketBuy(1, { type: 'limit', limit_price: '50', time_in_force: 'gtc' }));
    s.fake.advance(1000);
    expect(s.engine.stats().open).toBe(2000);
    expect(list(s.call('GET', '/v2/orders', { query: { limit: 500 } }))).toHaveLength(500);
    expect((s.account() as Json).buying_power).toBe('100000');
    s.market.setPrice('AAPL', 49);
    s.fake.advance(100);
    expect(s.engine.stats()).toMatchObject({ open: 0, filled: 2000 });
    expect(body(s.call('GET', '/v2/positions/AAPL')).qty).toBe('2000');
  });
});

describe('a broken price', () => {
  it('never books a fill; trading resumes when the price is sane again', () => {
    const s = setup();
    s.market.setPrice('AAPL', Number.NaN);
    const o = s.submit(marketBuy(1));
    s.fake.advance(1000);
    expect(s.getOrder(o.id as string)).toMatchObject({ status: 'new', filled_qty: '0' });
    s.market.setPrice('AAPL', 101);
    s.fake.advance(100);
    expect(s.getOrder(o.id as string)).toMatchObject({ status: 'filled', filled_avg_price: '101' });
  });
});
