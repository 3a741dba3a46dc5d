/**
 * The composition the Alpaca client will use, end to end over a real socket:
 * retry.execute → breaker.acquire → transport.request → classify → ticket.report, one breaker sample per attempt.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  AlpacaApiError,
  breakerVerdict,
  CircuitBreaker,
  classifyOutcome,
  constantBackoff,
  RetryPolicy,
  Transport,
  type TransportRequest,
} from '../../src/http/index.js';
import { startServer, type TestServer } from './test-server.js';

let s: TestServer | undefined;
let t: Transport | undefined;
afterEach(async () => {
  await t?.destroy();
  await s?.close();
});

function client(breaker: CircuitBreaker, retry: RetryPolicy, transport: Transport) {
  return (req: TransportRequest, idempotent: boolean) =>
    retry.execute(
      async ({ signal }) => {
        const ticket = breaker.acquire();
        try {
          const res = await transport.request({ ...req, signal });
          ticket.report(
            breakerVerdict(classifyOutcome({ type: 'response', status: res.status, headers: res.headers }, 0)),
          );
          return res;
        } catch (err) {
          ticket.report(breakerVerdict(classifyOutcome({ type: 'error', error: err }, 0)));
          throw err;
        }
      },
      { idempotent, signal: req.signal },
    );
}

describe('transport + retry + breaker', () => {
  it('retries a flaky GET, counts every attempt in the breaker, and surfaces the final API error', async () => {
    let n = 0;
    s = await startServer((req, res) => {
      n++;
      const ok = req.url === '/v2/account' && n >= 3;
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ok ? { id: 'acct' } : { code: 50010000, message: 'service unavailable' }));
    });
    t = new Transport({ origin: s.origin });
    const breaker = new CircuitBreaker({ name: 'account', consecutiveFailures: 3 });
    const retry = new RetryPolicy({ backoff: constantBackoff(1) });
    const call = client(breaker, retry, t);

    const res = await call({ method: 'GET', path: '/v2/account' }, true);
    expect(res.json()).toEqual({ id: 'acct' });
    expect(n).toBe(3);
    expect(breaker.state()).toMatchObject({ state: 'closed', window: { successes: 1, failures: 2 } });

    // A POST that gets 503 is not retried; the caller turns the response into a typed error.
    const post = await call({ method: 'POST', path: '/v2/orders', body: { symbol: 'AAPL' } }, false);
    expect(post.status).toBe(503);
    const apiErr = AlpacaApiError.fromResponse({ method: 'POST', path: '/v2/orders', ...post });
    expect(apiErr).toMatchObject({ status: 503, alpacaCode: 50010000, message: 'service unavailable' });
    expect(n).toBe(4);
  });
});
