import { describe, expect, it } from 'vitest';
import { AlpacaApiError } from '../../src/http/errors.js';
import { pair } from './setup.js';

const until = async (f: () => Promise<boolean>, tries = 100) => {
  for (let i = 0; i < tries; i++) {
    if (await f()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition never met');
};

describe('typed trading endpoints against the simulator', () => {
  it('account, clock, calendar and assets keep Alpaca shapes (decimals stay strings)', async () => {
    const { sim, client } = await pair();
    const a = await client.trading.getAccount();
    expect(a.id).toBe(sim.accounts[0]!.id);
    expect(a.cash).toBe('100000');
    expect(typeof a.buying_power).toBe('string');
    const clock = await client.trading.getClock();
    expect(clock.is_open).toBe(true);
    const cal = await client.trading.getCalendar({ start: '2024-07-01', end: '2024-07-05' });
    expect(cal.map((d) => d.date)).toEqual(['2024-07-01', '2024-07-02', '2024-07-03', '2024-07-05']);
    expect(cal[2]!.close).toBe('13:00');
    const assets = await client.trading.listAssets({ status: 'active' });
    expect(assets.some((x) => x.symbol === 'AAPL')).toBe(true);
    expect((await client.trading.getAsset('AAPL')).symbol).toBe('AAPL');
    const nf = await client.trading.getAsset('NOPE').catch((e: unknown) => e);
    expect(nf).toBeInstanceOf(AlpacaApiError);
    expect(nf).toMatchObject({ status: 404, alpacaCode: 40410000, code: 'CORRAL_API_ERROR' });
    expect((nf as AlpacaApiError).requestId).toMatch(/^[0-9a-f]+$/);
  });

  it('orders: submit (generated client_order_id), get, get by client id, list, replace, cancel, cancel all', async () => {
    const { client } = await pair();
    const o = await client.trading.submitOrder({
      symbol: 'AAPL',
      qty: 2,
      side: 'buy',
      type: 'limit',
      limit_price: '1.00',
      time_in_force: 'gtc',
    });
    expect(o.client_order_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(o.qty).toBe('2');
    expect((await client.trading.getOrder(o.id)).id).toBe(o.id);
    expect((await client.trading.getOrderByClientId(o.client_order_id)).id).toBe(o.id);
    expect((await client.trading.listOrders({ status: 'open' })).map((x) => x.id)).toContain(o.id);
    const r = await client.trading.replaceOrder(o.id, { limit_price: 1.5 });
    expect(r.id).not.toBe(o.id);
    expect(r.replaces).toBe(o.id);
    expect(r.limit_price).toBe('1.5');
    expect((await client.trading.getOrder(o.id)).status).toBe('replaced');
    await client.trading.cancelOrder(r.id);
    expect((await client.trading.getOrder(r.id)).status).toBe('canceled');
    const again = await client.trading.cancelOrder(r.id).catch((e: unknown) => e);
    expect(again).toMatchObject({ status: 422 });
    await client.trading.submitOrder({
      symbol: 'MSFT',
      qty: '1',
      side: 'buy',
      type: 'limit',
      limit_price: '1',
      time_in_force: 'day',
    });
    const all = await client.trading.cancelAllOrders();
    expect(all.length).toBe(1);
    expect(all[0]!.status).toBe(200);
  });

  it('rejects bad order arguments locally with the field named, and maps server 4xx to AlpacaApiError', async () => {
    const { client, sim } = await pair();
    await expect(
      client.trading.submitOrder({ symbol: 'AAPL', side: 'buy', type: 'market', time_in_force: 'day' }),
    ).rejects.toMatchObject({ code: 'CORRAL_CONFIG', field: 'order.qty' });
    await expect(
      client.trading.submitOrder({ symbol: 'AAPL', qty: 1, side: 'up' as never, type: 'market', time_in_force: 'day' }),
    ).rejects.toMatchObject({ field: 'order.side' });
    await expect(
      client.trading.submitOrder({
        symbol: 'AAPL',
        qty: 1,
        side: 'buy',
        type: 'market',
        time_in_force: 'day',
        client_order_id: 'x'.repeat(129),
      }),
    ).rejects.toMatchObject({ field: 'order.client_order_id' });
    const big = await client.trading
      .submitOrder({ symbol: 'AAPL', qty: 1_000_000, side: 'buy', type: 'market', time_in_force: 'day' })
      .catch((e: unknown) => e);
    expect(big).toMatchObject({ status: 403, alpacaCode: 40310000 });
    expect(sim.stats().orders.submitted).toBe(0);
  });

  it('positions: list, get, close one, close all', async () => {
    const { client } = await pair();
    await client.trading.submitOrder({ symbol: 'AAPL', qty: 3, side: 'buy', type: 'market', time_in_force: 'day' });
    await client.trading.submitOrder({ symbol: 'MSFT', qty: 2, side: 'buy', type: 'market', time_in_force: 'day' });
    await until(async () => (await client.trading.listPositions()).length === 2);
    expect((await client.trading.getPosition('AAPL')).qty).toBe('3');
    const close = await client.trading.closePosition('AAPL', { qty: 1 });
    expect(close).toMatchObject({ symbol: 'AAPL', side: 'sell', qty: '1' });
    await until(async () => (await client.trading.getPosition('AAPL')).qty === '2');
    const res = await client.trading.closeAllPositions({ cancelOrders: true });
    expect(res.map((x) => x.symbol).sort()).toEqual(['AAPL', 'MSFT']);
    await until(async () => (await client.trading.listPositions()).length === 0);
  });

  it('request() reaches any endpoint with the same protections', async () => {
    const { client } = await pair();
    const acct = await client.request<{ id: string }>('GET', '/v2/account');
    expect(acct.id).toBeTruthy();
    const bars = await client.request<{ bars: unknown[] }>('GET', '/v2/stocks/AAPL/bars', {
      query: { timeframe: '1Min', start: '2024-07-22T14:00:00Z', end: '2024-07-22T14:10:00Z' },
    });
    expect(bars.bars.length).toBeGreaterThan(0);
    expect(client.limiter.data.snapshot().windows[0]!.used).toBeGreaterThan(0);
  });
});

describe('typed market-data endpoints', () => {
  it('latest, snapshots, single- and multi-symbol history', async () => {
    const { client } = await pair();
    const latest = await client.data.latestBars(['AAPL', 'MSFT']);
    expect(Object.keys(latest).sort()).toEqual(['AAPL', 'MSFT']);
    expect(typeof latest.AAPL!.c).toBe('number');
    expect(Object.keys(await client.data.latestTrades(['AAPL']))).toEqual(['AAPL']);
    expect(Object.keys(await client.data.latestQuotes(['AAPL']))).toEqual(['AAPL']);
    const snaps = await client.data.snapshots(['AAPL']);
    expect(snaps.AAPL!.latestTrade).toBeTruthy();
    expect((await client.data.snapshot('MSFT')).symbol).toBe('MSFT');
    const q = { start: '2024-07-22T14:00:00Z', end: '2024-07-22T14:05:00Z' };
    const trades = [];
    for await (const t of client.data.symbolTrades('AAPL', q)) trades.push(t);
    expect(trades.length).toBeGreaterThan(0);
    const quotes = [];
    for await (const x of client.data.quotes({ ...q, symbols: ['AAPL', 'MSFT'] })) quotes.push(x.symbol);
    expect(new Set(quotes)).toEqual(new Set(['AAPL', 'MSFT']));
    const page = await client.data.barsPage({ symbols: ['AAPL'], timeframe: '1Min', ...q, limit: 2 });
    expect(page.bars.AAPL!.length).toBe(2);
    expect(page.next_page_token).toEqual(expect.any(String));
  });
});
