import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/fake-clock.js';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../src/sim/index.js';
import { httpClient } from './http.js';

const MARKET_START = '2024-07-23T14:00:00Z'; // Tuesday 10:00 New York
let sim: Simulator | undefined;
let client: ReturnType<typeof httpClient> | undefined;

async function start(o: SimulatorOptions = {}) {
  sim = await startSimulator({ marketStart: MARKET_START, ...o });
  client = httpClient(sim);
  return { sim, call: client.call };
}

afterEach(async () => {
  await client?.close();
  await sim?.close();
  sim = undefined;
  client = undefined;
});

describe('auth', () => {
  it('answers 401 with Alpaca body on trading and 403 on data without valid keys', async () => {
    const { call } = await start();
    const none = await call('GET', '/v2/account', { anonymous: true });
    expect(none.status).toBe(401);
    expect(none.json()).toEqual({ code: 40110000, message: 'request is not authorized' });
    const wrong = await call('GET', '/v2/account', { secretKey: 'nope' });
    expect(wrong.status).toBe(401);
    const data = await call('GET', '/v2/stocks/AAPL/bars?timeframe=1Min', { anonymous: true });
    expect(data.status).toBe(403);
    expect(data.json()).toEqual({ message: 'forbidden.' });
    expect((await call('GET', '/v2/account')).status).toBe(200);
    expect(sim!.stats().unauthorized).toBe(3);
  });

  it('accepts the accounts given by options and keeps their state apart', async () => {
    const { call } = await start({
      accounts: [
        { keyId: 'KEYA', secretKey: 'secret-a' },
        { keyId: 'KEYB', secretKey: 'secret-b', cash: 5000 },
      ],
    });
    const a = (await call('GET', '/v2/account', { keyId: 'KEYA', secretKey: 'secret-a' })).json() as Record<
      string,
      string
    >;
    const b = (await call('GET', '/v2/account', { keyId: 'KEYB', secretKey: 'secret-b' })).json() as Record<
      string,
      string
    >;
    expect(a.id).not.toBe(b.id);
    expect(Number(b.cash)).toBe(5000);
    expect((await call('GET', '/v2/account', { keyId: 'KEYA', secretKey: 'secret-b' })).status).toBe(401);
  });
});

describe('routing and bad input', () => {
  it('404s unknown paths and 405s wrong methods with JSON bodies', async () => {
    const { call } = await start();
    const nf = await call('GET', '/v2/nope');
    expect(nf.status).toBe(404);
    expect(nf.json()).toMatchObject({ code: 40410000 });
    const na = await call('PUT', '/v2/account');
    expect(na.status).toBe(405);
    expect(na.headers.allow).toContain('GET');
    // authenticated requests to unknown paths still count against the budget, like a gateway's
    expect(nf.headers['x-ratelimit-remaining']).toBe('199');
    expect((await call('GET', '/v2/nope', { anonymous: true })).headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('rejects malformed JSON, oversized bodies and garbage without ever answering 5xx', async () => {
    const { call } = await start({ maxBodyBytes: 4096 });
    const bad = await call('POST', '/v2/orders', {
      rawBody: '{"symbol": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ code: 40010001 });
    const big = await call('POST', '/v2/orders', { rawBody: 'x'.repeat(10_000) });
    expect(big.status).toBe(413);
    const samples: unknown[] = [
      null,
      42,
      'str',
      [],
      [1, 2],
      { qty: {} },
      { symbol: 5 },
      { symbol: 'AAPL', qty: '-1' },
      { symbol: 'AAPL', qty: 'abc', side: 'buy', type: 'market', time_in_force: 'day' },
      { symbol: 'ZZZZ', qty: '1', side: 'buy', type: 'market', time_in_force: 'day' },
      { symbol: 'AAPL', qty: '1', side: 'sideways', type: 'market', time_in_force: 'day' },
      { symbol: 'AAPL', qty: 1e308, side: 'buy', type: 'market', time_in_force: 'day' },
    ];
    for (const body of samples) {
      const r = await call('POST', '/v2/orders', { body });
      expect(r.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(r.status, JSON.stringify(body)).toBeLessThan(500);
      expect(r.json()).toHaveProperty('message');
    }
    for (const q of ['limit=abc', 'limit=99999', 'status=weird', 'direction=up', 'after=notadate']) {
      const r = await call('GET', `/v2/orders?${q}`);
      expect(r.status, q).toBeGreaterThanOrEqual(400);
      expect(r.status, q).toBeLessThan(500);
    }
    for (const p of [
      '/v2/stocks/bars?symbols=AAPL&timeframe=7Parsecs',
      '/v2/stocks/bars',
      '/v2/stocks/NOPE/bars?timeframe=1Min',
      '/v2/stocks/AAPL/bars?timeframe=1Min&limit=0',
      '/v2/stocks/AAPL/trades?start=yesterday',
      '/v2/stocks/AAPL/quotes?page_token=%%%',
    ]) {
      const r = await call('GET', p);
      expect(r.status, p).toBeGreaterThanOrEqual(400);
      expect(r.status, p).toBeLessThan(500);
    }
    expect(sim!.stats().by_route).not.toHaveProperty('500');
  });
});

describe('rate limits', () => {
  it('fixed-window: headers on every response, 429 past the limit, Reset = end of window, separate budgets', async () => {
    const clock = new FakeClock({ wallNow: Date.parse('2024-07-23T14:00:00.250Z') });
    const { call } = await start({ clock, rate: '3/1s', policy: 'fixed-window' });
    const seen: Array<[number, string, string]> = [];
    for (let i = 0; i < 4; i++) {
      const r = await call('GET', '/v2/account');
      seen.push([r.status, r.headers['x-ratelimit-remaining']!, r.headers['x-ratelimit-reset']!]);
      expect(r.headers['x-ratelimit-limit']).toBe('3');
      expect(r.headers['x-request-id']).toMatch(/^[0-9a-f]+$/);
      expect(new Date(r.headers.date!).getTime()).toBe(Date.parse('2024-07-23T14:00:00Z'));
    }
    const reset = String(Date.parse('2024-07-23T14:00:01Z') / 1000);
    expect(seen).toEqual([
      [200, '2', reset],
      [200, '1', reset],
      [200, '0', reset],
      [429, '0', reset],
    ]);
    const body = (await call('GET', '/v2/account')).json();
    expect(body).toEqual({ code: 42910000, message: 'rate limit exceeded' });
    // the data budget is separate
    expect((await call('GET', '/v2/stocks/AAPL/bars?timeframe=1Min')).status).toBe(200);
    clock.advance(750); // next window
    const after = await call('GET', '/v2/account');
    expect(after.status).toBe(200);
    expect(after.headers['x-ratelimit-remaining']).toBe('2');
    expect(after.headers['retry-after']).toBeUndefined();
    expect(sim!.stats().rate_limited).toBe(2);
    expect(sim!.stats().by_route['GET /v2/account']).toEqual({ '200': 4, '429': 2 });
  });

  it('sliding-window: the oldest request must age out; Reset is when it does', async () => {
    const clock = new FakeClock({ wallNow: Date.parse('2024-07-23T14:00:00.000Z') });
    const { call } = await start({ clock, rate: '3/1s', policy: 'sliding-window', retryAfter: true });
    const t0 = Date.parse('2024-07-23T14:00:00.000Z');
    expect((await call('GET', '/v2/account')).status).toBe(200);
    clock.advance(400);
    expect((await call('GET', '/v2/account')).status).toBe(200);
    clock.advance(400);
    expect((await call('GET', '/v2/account')).status).toBe(200);
    clock.advance(150); // t = 950: a fixed window would have reset at 1000, sliding still holds three
    const limited = await call('GET', '/v2/account');
    expect(limited.status).toBe(429);
    expect(limited.headers['x-ratelimit-reset']).toBe(String((t0 + 1000) / 1000));
    expect(limited.headers['retry-after']).toBe('1');
    clock.advance(50); // t = 1000: the first request is now exactly one window old
    const ok = await call('GET', '/v2/account');
    expect(ok.status).toBe(200);
    expect(ok.headers['x-ratelimit-remaining']).toBe('0');
    expect(ok.headers['x-ratelimit-reset']).toBe(String(Math.ceil((t0 + 1400) / 1000)));
  });

  it('enforces an optional burst window next to the main one, and time-scales windows', async () => {
    const clock = new FakeClock({ wallNow: Date.parse('2024-07-23T14:00:00.000Z') });
    const { call } = await start({ clock, rate: '100/1m', burst: '2/1s', timeScale: 0.5 });
    expect((await call('GET', '/v2/account')).status).toBe(200);
    expect((await call('GET', '/v2/account')).status).toBe(200);
    const r = await call('GET', '/v2/account');
    expect(r.status).toBe(429);
    expect(r.headers['x-ratelimit-limit']).toBe('100');
    clock.advance(500); // a 1 s burst window lasts 0.5 s at timeScale 0.5
    expect((await call('GET', '/v2/account')).status).toBe(200);
  });

  it('can be switched off', async () => {
    const { call } = await start({ rate: false });
    const r = await call('GET', '/v2/account');
    expect(r.status).toBe(200);
    expect(r.headers['x-ratelimit-limit']).toBeUndefined();
  });
});

describe('faults', () => {
  it('plays a scripted status sequence per route, with load-balancer HTML for 502-504', async () => {
    const { call } = await start({ faults: 'GET /v2/account=503,500,502,pass,504' });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await call('GET', '/v2/account')).status);
    expect(statuses).toEqual([503, 500, 502, 200, 504, 200]);
    const r500 = await call('GET', '/v2/clock');
    expect(r500.status).toBe(200); // other routes untouched
    expect(sim!.stats().faults_fired).toBe(4);
  });

  it('is deterministic for a seed with probabilistic rules', async () => {
    const pattern = async (seed: number) => {
      const s = await startSimulator({
        seed,
        marketStart: MARKET_START,
        faults: [{ route: '*', action: { kind: 'status', status: 500 }, probability: 0.5 }],
      });
      const c = httpClient(s);
      const out: number[] = [];
      for (let i = 0; i < 24; i++) out.push((await c.call('GET', '/v2/account')).status);
      await c.close();
      await s.close();
      return out;
    };
    const a = await pattern(7);
    expect(await pattern(7)).toEqual(a);
    expect(a).toContain(500);
    expect(a).toContain(200);
    expect(await pattern(8)).not.toEqual(a);
  });

  it('resets before the handler (nothing committed) and after it (order committed, client never told)', async () => {
    const { call } = await start();
    const order = (id: string) => ({
      symbol: 'AAPL',
      qty: '1',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
      client_order_id: id,
    });
    sim!.setFaults('POST /v2/orders=reset-before');
    await expect(call('POST', '/v2/orders', { body: order('before-1') })).rejects.toThrow();
    expect((await call('GET', '/v2/orders:by_client_order_id?client_order_id=before-1')).status).toBe(404);
    sim!.setFaults('POST /v2/orders=reset-after');
    await expect(call('POST', '/v2/orders', { body: order('after-1') })).rejects.toThrow();
    const found = await call('GET', '/v2/orders:by_client_order_id?client_order_id=after-1');
    expect(found.status).toBe(200);
    expect(found.json()).toMatchObject({ client_order_id: 'after-1', symbol: 'AAPL' });
    expect(sim!.stats().by_route['POST /v2/orders']).toMatchObject({ 'reset-before': 1, 'reset-after': 1 });
  });

  it('hangs (no response) and adds latency on the injected clock', async () => {
    const clock = new FakeClock();
    const { call } = await start({ clock, faults: 'GET /v2/clock=hang:60s;GET /v2/account=latency:5s' });
    await expect(call('GET', '/v2/clock', { headersTimeout: 200 })).rejects.toThrow(/timeout/i);
    let done = false;
    const p = call('GET', '/v2/account').then((r) => {
      done = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(done).toBe(false);
    await clock.tickAsync(5000);
    expect((await p).status).toBe(200);
  });

  it('takes rules at runtime through the admin API and validates them', async () => {
    const { call } = await start();
    const admin = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`${sim!.url}${path}`, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, body: (await r.json()) as { message: string; rules: unknown[] } };
    };
    const set = await admin('POST', '/_sim/faults', {
      rules: [{ id: 'x', route: 'GET /v2/account', action: [{ kind: 'status', status: 429 }] }],
    });
    expect(set.status).toBe(200);
    expect((await call('GET', '/v2/account')).status).toBe(429);
    expect((await call('GET', '/v2/account')).status).toBe(200);
    const bad = await admin('POST', '/_sim/faults', {
      rules: [{ route: '*', action: { kind: 'status', status: 418 } }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('faults[0].action');
    const badSpec = await admin('POST', '/_sim/faults', { spec: '*=explode' });
    expect(badSpec.status).toBe(400);
    expect((await admin('DELETE', '/_sim/faults')).body.rules).toEqual([]);
  });
});

describe('admin API', () => {
  it('reports health, stats, the request log, and resets state', async () => {
    const { call } = await start();
    const health = (await (await fetch(`${sim!.url}/_sim/health`)).json()) as { status: string };
    expect(health.status).toBe('ok');
    const body = {
      symbol: 'AAPL',
      qty: '1',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
      client_order_id: 'dup-1',
    };
    expect((await call('POST', '/v2/orders', { body })).status).toBe(200);
    expect((await call('POST', '/v2/orders', { body })).status).toBe(422);
    const stats = (await (await fetch(`${sim!.url}/_sim/stats`)).json()) as { by_route: Record<string, unknown> };
    expect(stats).toMatchObject({
      requests: 2,
      rate_limited: 0,
      orders: { submitted: 1, unique_client_order_ids: 1, duplicate_rejected: 1 },
    });
    expect(stats.by_route['POST /v2/orders']).toEqual({ '200': 1, '422': 1 });
    const log = (await (await fetch(`${sim!.url}/_sim/requests?after=0`)).json()) as Array<{
      route: string;
      status: number;
    }>;
    expect(log.map((e) => [e.route, e.status])).toEqual([
      ['POST /v2/orders', 200],
      ['POST /v2/orders', 422],
    ]);
    expect((await fetch(`${sim!.url}/_sim/reset`, { method: 'POST' })).status).toBe(200);
    expect(sim!.stats()).toMatchObject({ requests: 0, orders: { submitted: 0 } });
    expect((await call('POST', '/v2/orders', { body })).status).toBe(200); // client ids forgotten with the orders
    expect((await fetch(`${sim!.url}/_sim/nope`)).status).toBe(404);
  });

  it('rejects invalid options with a ConfigError naming the field', async () => {
    await expect(startSimulator({ rate: '200 per minute' })).rejects.toThrow(/simulator\.rate/);
    await expect(startSimulator({ policy: 'leaky' as never })).rejects.toThrow(/simulator\.policy/);
    await expect(startSimulator({ faults: 'GET /v2/account=999' })).rejects.toThrow(/faults\[0\]\.action/);
  });
});
