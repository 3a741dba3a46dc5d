import { describe, expect, it } from 'vitest';
import { CorralError } from '../../src/core/errors.js';
import {
  AlpacaApiError,
  CircuitOpenError,
  isAbortError,
  isAlpacaApiError,
  isCircuitOpenError,
  isNetworkError,
  isTimeoutError,
  mayHaveBeenSent,
  NetworkError,
  RedirectRefusedError,
  ResponseTooLargeError,
  TimeoutError,
} from '../../src/http/index.js';

describe('AlpacaApiError', () => {
  it('reads Alpaca’s code and message, the request id, and strips the query', () => {
    const err = AlpacaApiError.fromResponse({
      method: 'POST',
      path: '/v2/orders?apiKey=SHOULD_NOT_LEAK',
      status: 403,
      headers: { 'x-request-id': 'req-123' },
      body: Buffer.from('{"code":40310000,"message":"insufficient buying power"}'),
    });
    expect(err).toBeInstanceOf(CorralError);
    expect(err).toMatchObject({
      code: 'CORRAL_API_ERROR',
      status: 403,
      alpacaCode: 40310000,
      message: 'insufficient buying power',
      requestId: 'req-123',
      method: 'POST',
      path: '/v2/orders',
    });
    expect(JSON.stringify(err)).not.toContain('SHOULD_NOT_LEAK');
    expect(isAlpacaApiError(err)).toBe(true);
  });

  it('quotes at most 500 characters of the body and redacts secrets', () => {
    const secret = 'SECRETKEY123456';
    const body = `{"message":"bad key ${secret}","junk":"${'x'.repeat(2000)}"}`;
    const err = AlpacaApiError.fromResponse({
      method: 'GET',
      path: '/v2/account',
      status: 401,
      headers: {},
      body,
      secrets: [secret],
    });
    expect(err.body.length).toBeLessThan(600);
    expect(err.body).toContain('more chars');
    expect(err.body).not.toContain(secret);
    expect(err.message).not.toContain(secret);
    expect(err.message).toContain('[REDACTED]');
  });

  it('derives retryAfterMs from the rate-limit headers when given the wall time', () => {
    const now = Date.UTC(2024, 6, 23, 14, 0, 0);
    const err = AlpacaApiError.fromResponse({
      method: 'GET',
      path: '/v2/orders',
      status: 429,
      headers: { 'x-ratelimit-reset': String(now / 1000 + 20) },
      body: '{"code":42910000,"message":"rate limit exceeded"}',
      wallNowMs: now,
    });
    expect(err).toMatchObject({ alpacaCode: 42910000, retryAfterMs: 20_000 });
  });

  it('falls back to the text or the status when the body is not Alpaca JSON', () => {
    expect(AlpacaApiError.fromResponse({ method: 'GET', path: '/', status: 502, headers: {}, body: '' }).message).toBe(
      'HTTP 502',
    );
    const html = AlpacaApiError.fromResponse({
      method: 'GET',
      path: '/',
      status: 502,
      headers: {},
      body: 'Bad Gateway',
    });
    expect(html.message).toBe('Bad Gateway');
    expect(html.alpacaCode).toBeUndefined();
  });
});

describe('guards', () => {
  it('identify each error by its stable code', () => {
    const timeout = new TimeoutError('headers', 30_000, { maybeSent: true, method: 'GET', path: '/v2/clock?x=1' });
    const net = new NetworkError('connect ECONNREFUSED', { maybeSent: false, causeCode: 'ECONNREFUSED' });
    const open = new CircuitOpenError('orders', 1234, 'open');
    expect(timeout.message).toBe('GET /v2/clock: headers timeout after 30000 ms');
    expect(isTimeoutError(timeout) && isNetworkError(net) && isCircuitOpenError(open)).toBe(true);
    expect(isTimeoutError(net)).toBe(false);
    expect(open).toMatchObject({ code: 'CORRAL_CIRCUIT_OPEN', breaker: 'orders', retryAfterMs: 1234 });
    expect(new RedirectRefusedError(301, 'evil.example').code).toBe('CORRAL_REDIRECT_REFUSED');
    expect(new ResponseTooLargeError(10, 200).code).toBe('CORRAL_RESPONSE_TOO_LARGE');
  });

  it('mayHaveBeenSent is false only when provably unsent', () => {
    expect(mayHaveBeenSent(new NetworkError('refused', { maybeSent: false }))).toBe(false);
    expect(mayHaveBeenSent(new TimeoutError('connect', 5000, { maybeSent: false }))).toBe(false);
    expect(mayHaveBeenSent(new CircuitOpenError('x', 1, 'open'))).toBe(false);
    expect(mayHaveBeenSent(new NetworkError('reset', { maybeSent: true }))).toBe(true);
    expect(mayHaveBeenSent(new Error('who knows'))).toBe(true);
  });

  it('isAbortError accepts DOM-style aborts', () => {
    expect(isAbortError(AbortSignal.abort().reason)).toBe(true);
    expect(isAbortError(new Error('nope'))).toBe(false);
  });
});
