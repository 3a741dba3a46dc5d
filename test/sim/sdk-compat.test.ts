/**
 * Alpaca's official JS SDK (4.x) as an independent client: if our simulator drifted from Alpaca's paths, field
 * names or shapes, the SDK's generated (de)serialisers would break here.
 */
import { Alpaca, errors, TimeFrameUnit, timeFrame } from '@alpacahq/alpaca-trade-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../src/sim/index.js';

let sim: Simulator;
let alpaca: Alpaca;

/** The SDK has no base-URL option; its `fetchApi` hook lets us send its requests to the simulator. */
function redirectTo(base: string) {
  return (input: string | URL | Request, init?: RequestInit) => {
    const u = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    return fetch(`${base}${u.pathname}${u.search}`, init);
  };
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 11, marketStart: '2024-07-23T14:00:00Z', fillLatencyMs: 10 });
  const { keyId, secretKey } = sim.readyInfo();
  alpaca = new Alpaca({
    keyId,
    secret: secretKey,
    paper: true,
    fetchApi: redirectTo(sim.url) as never,
    rateLimit: false,
  });
});
afterAll(async () => {
  await sim.close();
});

describe('official @alpacahq/alpaca-trade-api 4.x against corral sim', () => {
  it('reads the account', async () => {
    const a = await alpaca.trading.account.getAccount();
    expect(a.id).toBe(sim.accounts[0]!.id);
    expect(a.status).toBe('ACTIVE');
    expect(a.cash).toBe('100000');
    expect(typeof a.buyingPower).toBe('string');
  });

  it('submits with client_order_id, finds it by client id, lists it, and sees the duplicate rejected', async () => {
    const order = await alpaca.trading.orders.postOrder({
      postOrderRequest: {
        symbol: 'AAPL',
        qty: '3',
        side: 'buy',
        type: 'market',
        timeInForce: 'day',
        clientOrderId: 'sdk-order-1',
      },
    });
    expect(order.clientOrderId).toBe('sdk-order-1');
    expect(order.symbol).toBe('AAPL');
    const byClient = await alpaca.trading.orders.getOrderByClientOrderId({ clientOrderId: 'sdk-order-1' });
    expect(byClient.id).toBe(order.id);
    const all = await alpaca.trading.orders.getAllOrders({ status: 'all' });
    expect(all.map((o) => o.id)).toContain(order.id);
    const dup = await alpaca.trading.orders
      .postOrder({
        postOrderRequest: {
          symbol: 'AAPL',
          qty: '3',
          side: 'buy',
          type: 'market',
          timeInForce: 'day',
          clientOrderId: 'sdk-order-1',
        },
      })
      .catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(errors.ApiError);
    expect((dup as errors.ApiError).status).toBe(422);
    expect(String((dup as Error).message)).toContain('client_order_id must be unique');
  });

  it('sees the filled position', async () => {
    let positions = await alpaca.trading.positions.getAllOpenPositions();
    for (let i = 0; i < 50 && !positions.some((p) => p.symbol === 'AAPL'); i++) {
      await new Promise((r) => setTimeout(r, 20));
      positions = await alpaca.trading.positions.getAllOpenPositions();
    }
    const aapl = positions.find((p) => p.symbol === 'AAPL');
    expect(aapl?.qty).toBe('3');
    const one = await alpaca.trading.positions.getOpenPosition({ symbolOrAssetId: 'AAPL' });
    expect(one.side).toBe('long');
  });

  it('reads the clock and assets', async () => {
    const clock = await alpaca.trading.clock.legacyClock();
    expect(typeof clock.isOpen).toBe('boolean');
    expect(clock.nextOpen).toBeInstanceOf(Date);
    const assets = await alpaca.trading.assets.getV2Assets({ status: 'active' });
    expect(assets.map((a) => a.symbol)).toContain('AAPL');
    const aapl = await alpaca.trading.assets.getV2AssetsSymbolOrAssetId({ symbolOrAssetId: 'AAPL' });
    expect(aapl.tradable).toBe(true);
  });

  it('pages through multi-symbol bars exactly as the simulator serves them', async () => {
    const req = {
      symbols: ['AAPL', 'MSFT'],
      timeframe: timeFrame(1, TimeFrameUnit.Minute),
      start: new Date('2024-07-22T13:30:00Z'),
      end: new Date('2024-07-22T20:00:00Z'),
      limit: 97,
    };
    const seen: Array<{ symbol: string; t: unknown }> = [];
    for await (const { symbol, value } of alpaca.marketData.iterateStockBars(req)) seen.push({ symbol, t: value.t });
    expect(seen.length).toBeGreaterThan(2 * 97);
    const bySymbol = new Map<string, number>();
    for (const s of seen) bySymbol.set(s.symbol, (bySymbol.get(s.symbol) ?? 0) + 1);
    expect([...bySymbol.keys()].sort()).toEqual(['AAPL', 'MSFT']);
    // same data in one big page
    const one = await alpaca.marketData.stocks.stockBars({ ...req, symbols: 'AAPL,MSFT', limit: 10_000 });
    expect((one.bars?.AAPL?.length ?? 0) + (one.bars?.MSFT?.length ?? 0)).toBe(seen.length);
  });
});
