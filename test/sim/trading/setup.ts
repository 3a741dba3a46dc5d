/** Builds a trading engine over the fake market, a FakeClock-driven market clock and the real router. */
import { ScaledClock } from '../../../src/core/clock.js';
import { FakeClock } from '../../../src/core/fake-clock.js';
import { SeededRandom } from '../../../src/core/random.js';
import { TradeEventLog, type TradeUpdate } from '../../../src/sim/trade-events.js';
import { createTradingEngine, type TradingEngineOptions } from '../../../src/sim/trading/index.js';
import type { SimAccount, SimDeps, SimResponse } from '../../../src/sim/types.js';
import { demoAccount, makeCaller } from '../harness.js';
import { FakeMarket, type SessionMode, START } from './fake-market.js';

export type Json = Record<string, unknown>;

export interface SetupOptions {
  start?: number;
  session?: SessionMode;
  fillLatencyMs?: number;
  seed?: number | string;
  accounts?: SimAccount[];
  options?: TradingEngineOptions;
}

export function setup(o: SetupOptions = {}) {
  const start = o.start ?? START;
  const fake = new FakeClock({ wallNow: start });
  const marketClock = new ScaledClock(fake, 1, start);
  const market = new FakeMarket(marketClock);
  market.mode = o.session ?? 'open';
  const tradeEvents = new TradeEventLog();
  const deps: SimDeps = {
    clock: fake,
    marketClock,
    timeScale: 1,
    market,
    random: new SeededRandom(o.seed ?? 42),
    tradeEvents,
    fillLatencyMs: o.fillLatencyMs ?? 50,
  };
  const engine = createTradingEngine(deps, o.accounts ?? [demoAccount], o.options);
  const call = makeCaller(engine.routes());

  /** POSTs an order and expects a 200; returns the order JSON. */
  const submit = (body: Json, account: SimAccount = demoAccount): Json => {
    const res = call('POST', '/v2/orders', { body, account });
    if (res.status !== 200) throw new Error(`submit failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Json;
  };
  const getOrder = (id: string): Json => {
    const res = call('GET', `/v2/orders/${id}`);
    if (res.status !== 200) throw new Error(`get failed: ${res.status}`);
    return res.body as Json;
  };
  const account = (): Json => call('GET', '/v2/account').body as Json;
  const events = (acct: SimAccount = demoAccount): TradeUpdate[] =>
    tradeEvents.since(acct.id, 0, 1_000_000).map((r) => r.update);
  /** `event:status` per update of one order, in order. */
  const eventsOf = (id: string): string[] =>
    events()
      .filter((e) => e.order.id === id)
      .map((e) => `${e.event}:${String(e.order.status)}`);

  return { fake, marketClock, market, tradeEvents, deps, engine, call, submit, getOrder, account, events, eventsOf };
}

export const body = (res: SimResponse): Json => res.body as Json;
export const list = (res: SimResponse): Json[] => res.body as Json[];

export const marketBuy = (qty: number | string, extra: Json = {}): Json => ({
  symbol: 'AAPL',
  qty: String(qty),
  side: 'buy',
  type: 'market',
  time_in_force: 'day',
  ...extra,
});
