import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { ClientEvent } from '../../src/alpaca/index.js';
import { createClient } from '../../src/alpaca/index.js';
import { FakeClock } from '../../src/core/fake-clock.js';
import { AlpacaApiError, CircuitOpenError, RedirectRefusedError, TimeoutError } from '../../src/http/errors.js';
import { RateLimitedError } from '../../src/limit/errors.js';
import { pair, routeCount, total } from './setup.js';

const collect = (client: { onEvent: (l: (e: ClientEvent) => void) => unknown }) => {
  const events: ClientEvent[] = [];
  client.onEvent((e) => events.push(e));
  return events;
};

describe('retries', () => {
  it('retries idempotent reads on 500/502/503/504 with jitter, then succeeds', async () => {
    const { sim, client } = await pair({ faults: 'GET /v2/account=503,502,pass' });
    const events = collect(client);
    expect((await client.trading.getAccount()).id).toBeTruthy();
    expect(routeCount(sim, 'GET /v2/account')).toEqual({ '503': 1, '502': 1, '200': 1 });
    const retries = events.filter((e) => e.type === 'retry');
    expect(retries.map((e) => e.type === 'retry' && e.reason)).toEqual(['service-unavailable', 'bad-gateway']);
  });

  it('stops after maxAttempts (default 4) and throws the last AlpacaApiError', async () => {
    const { sim, client } = await pair({ faults: 'GET /v2/account=500' });
    const err = await client.trading.getAccount().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlpacaApiError);
    expect(err).toMatchObject({ status: 500 });
    expect(total(routeCount(sim, 'GET /v2/account'))).toBe(4);
  });

  it('never retries other 4xx', async () => {
    const { sim, client } = await pair();
    await expect(client.trading.getOrder('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      status: 404,
    });
    expect(total(routeCount(sim, 'GET /v2/orders/{order_id}'))).toBe(1);
  });

  it('retries network resets on reads, within a total time budget', async () => {
    const { sim, client } = await pair(
      { faults: 'GET /v2/clock=reset-before,reset-after,pass' },
      { retry: { budgetMs: 10_000 } },
    );
    expect((await client.trading.getClock()).timestamp).toBeTruthy();
    expect(routeCount(sim, 'GET /v2/clock')).toEqual({ 'reset-before': 1, 'reset-after': 1, '200': 1 });
    const { client: tight } = await pair({ faults: 'GET /v2/clock=503' }, { retry: { budgetMs: 1, maxAttempts: 10 } });
    await expect(tight.trading.getClock()).rejects.toMatchObject({ status: 503 });
  });

  it('times out hung requests (TimeoutError) and retries them as idempotent', async () => {
    const { sim, client } = await pair({ faults: 'GET /v2/account=hang:30s,pass' }, { transport: { timeoutMs: 150 } });
    expect((await client.trading.getAccount()).id).toBeTruthy();
    expect(routeCount(sim, 'GET /v2/account')).toEqual({ hang: 1, '200': 1 });
    const { client: c2 } = await pair(
      { faults: 'GET /v2/account=hang:30s' },
      { transport: { timeoutMs: 100 }, retry: { maxAttempts: 2 } },
    );
    await expect(c2.trading.getAccount()).rejects.toBeInstanceOf(TimeoutError);
  });

  it('honours AbortSignal', async () => {
    const { client } = await pair({ faults: 'GET /v2/account=hang:30s' });
    const ctl = new AbortController();
    const p = client.trading.getAccount({ signal: ctl.signal });
    setTimeout(() => ctl.abort(new Error('user gave up')), 30);
    await expect(p).rejects.toThrow('user gave up');
  });
});

describe('429 handling', () => {
  it('waits as the server says (X-RateLimit-Reset) and then succeeds, blocking the whole budget', async () => {
    // The client's own budget (1000/s) is larger than the server's (3/s): the server's 429 is what it must obey.
    const { sim, client } = await pair(
      { rate: '3/1s', policy: 'fixed-window' },
      { retry: { budgetMs: 5_000 }, rateLimit: { trading: { windows: [{ limit: 1000, windowMs: 1000 }] } } },
    );
    const events = collect(client);
    const results = await Promise.all(Array.from({ length: 6 }, () => client.trading.getClock()));
    expect(results).toHaveLength(6);
    const counts = routeCount(sim, 'GET /v2/clock');
    expect(counts['200']).toBe(6);
    expect(counts['429']).toBeGreaterThan(0);
    expect(events.some((e) => e.type === 'limiter' && e.event.type === 'server-block')).toBe(true);
    // it also learned the server's smaller limit for its window, so it paces itself from now on
    expect(client.limiter.trading.snapshot().windows[0]!.limit).toBe(3);
  });

  it('fails fast with RateLimitedError (source server) when the server-imposed wait exceeds the deadline', async () => {
    const clock = new FakeClock({ wallNow: Date.parse('2024-07-23T14:00:00.000Z') });
    const { client } = await pair(
      { rate: '1/1m', policy: 'fixed-window', clock },
      { clock, rateLimit: { trading: { windows: [{ limit: 1000, windowMs: 1000 }] } } },
    );
    await client.trading.getClock();
    const err = await client.trading.getClock({ deadlineMs: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err).toMatchObject({ source: 'server' });
    expect((err as RateLimitedError).retryAfterMs).toBeGreaterThan(50_000);
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive failures, rejects at once, probes half-open, closes again', async () => {
    const { sim, client } = await pair(
      { faults: 'GET /v2/account=500' },
      { retry: { maxAttempts: 1 }, breaker: { consecutiveFailures: 3, breakDurationMs: 150, halfOpenProbes: 1 } },
    );
    const events = collect(client);
    for (let i = 0; i < 3; i++) await expect(client.trading.getAccount()).rejects.toMatchObject({ status: 500 });
    const open = await client.trading.getAccount().catch((e: unknown) => e);
    expect(open).toBeInstanceOf(CircuitOpenError);
    expect((open as CircuitOpenError).retryAfterMs).toBeGreaterThan(0);
    expect(total(routeCount(sim, 'GET /v2/account'))).toBe(3); // the rejected call never reached the server
    // other groups are unaffected
    expect((await client.data.latestBars(['AAPL'])).AAPL).toBeTruthy();
    sim.clearFaults();
    await new Promise((r) => setTimeout(r, 200));
    expect((await client.trading.getAccount()).id).toBeTruthy();
    const transitions = events.flatMap((e) => (e.type === 'breaker' ? [`${e.from}->${e.to}`] : []));
    expect(transitions).toEqual(['closed->open', 'open->half-open', 'half-open->closed']);
  });

  it('does not count 429s or other 4xx as failures', async () => {
    // A server budget that never runs out still sends Reset headers, so each 429 blocks only to the next second.
    const { sim, client } = await pair(
      { rate: '100000/1s', faults: 'GET /v2/account=429,429,429' },
      {
        retry: { maxAttempts: 1 },
        breaker: { consecutiveFailures: 2 },
        rateLimit: { trading: { windows: [{ limit: 100_000, windowMs: 1000 }] } },
      },
    );
    for (let i = 0; i < 3; i++) await expect(client.trading.getAccount()).rejects.toMatchObject({ status: 429 });
    expect(routeCount(sim, 'GET /v2/account')).toEqual({ '429': 3 });
    for (let i = 0; i < 3; i++) await client.trading.getOrder('00000000-0000-4000-8000-000000000000').catch(() => {});
    expect(client.breakers.get('trading').state().state).toBe('closed');
  });
});

describe('transport rules', () => {
  it('refuses redirects: the key headers never follow them', async () => {
    let hits = 0;
    const elsewhere = createServer((_req, res) => {
      hits++;
      res.end('{}');
    });
    await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', () => r()));
    const target = `http://127.0.0.1:${(elsewhere.address() as { port: number }).port}`;
    const redirector = createServer((_req, res) => {
      res.writeHead(302, { Location: `${target}/v2/account` });
      res.end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(redirector.address() as { port: number }).port}`;
    const client = createClient({ keyId: 'K', secretKey: 'S', tradingUrl: url, dataUrl: url, env: {} });
    try {
      await expect(client.trading.getAccount()).rejects.toBeInstanceOf(RedirectRefusedError);
      expect(hits).toBe(0);
    } finally {
      await client.close();
      redirector.close();
      elsewhere.close();
    }
  });
});

describe('complaints of peer-client users, as tests', () => {
  it('C# #262: an order is never delayed silently for minutes; the orders lane fails fast (10 s default)', async () => {
    const clock = new FakeClock({ wallNow: Date.parse('2024-07-23T14:00:00.000Z') });
    const { sim, client } = await pair(
      { rate: '1/1m', policy: 'fixed-window', clock },
      { clock, rateLimit: { trading: { windows: [{ limit: 1000, windowMs: 1000 }] } } },
    );
    await client.trading.getClock(); // spends the server's budget for this minute
    const err = await client.trading
      .submitOrder({ symbol: 'AAPL', qty: 1, side: 'buy', type: 'market', time_in_force: 'day' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBeGreaterThan(10_000);
    expect(sim.stats().orders.submitted).toBe(0);
  });

  it('alpaca-java: a secret echoed in a response body never reaches the error', async () => {
    const secret = 'echoed-secret-value-123';
    const echo = createServer((req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 40010001, message: `bad request for key ${req.headers['apca-api-secret-key']}` }));
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(echo.address() as { port: number }).port}`;
    const client = createClient({ keyId: 'K', secretKey: secret, tradingUrl: url, dataUrl: url, env: {} });
    try {
      const err = (await client.trading.getAccount().catch((e: unknown) => e)) as AlpacaApiError;
      expect(err).toBeInstanceOf(AlpacaApiError);
      expect(err.message).toContain('[REDACTED]');
      expect(`${err.message} ${err.body} ${err.stack} ${JSON.stringify(err)}`).not.toContain(secret);
    } finally {
      await client.close();
      echo.close();
    }
  });
});
