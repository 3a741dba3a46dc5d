import { describe, expect, it } from 'vitest';
import { AbortedError, ConfigError } from '../../src/core/errors.js';
import {
  AlpacaApiError,
  breakerVerdict,
  CircuitOpenError,
  type Classification,
  classifyOutcome,
  InvalidResponseError,
  NetworkError,
  type Outcome,
  RedirectRefusedError,
  ResponseTooLargeError,
  TimeoutError,
  TransportSaturatedError,
} from '../../src/http/index.js';

const NOW = Date.UTC(2024, 6, 23, 14, 0, 0);
const res = (status: number, headers: Record<string, string> = {}): Outcome => ({ type: 'response', status, headers });
const err = (error: unknown): Outcome => ({ type: 'error', error });

describe('classifyOutcome', () => {
  it.each<[string, Outcome, Partial<Classification>, 'success' | 'failure' | 'ignore']>([
    ['200', res(200), { kind: 'success', reason: 'ok' }, 'success'],
    ['204', res(204), { kind: 'success' }, 'success'],
    ['plain value', { type: 'success' }, { kind: 'success' }, 'success'],
    [
      '429',
      res(429, { 'retry-after': '2' }),
      { kind: 'retryable', reason: 'rate-limited', retryAfterMs: 2000 },
      'ignore',
    ],
    ['500', res(500), { kind: 'ambiguous', reason: 'server-error' }, 'failure'],
    ['502', res(502), { kind: 'ambiguous', reason: 'bad-gateway' }, 'failure'],
    ['503', res(503), { kind: 'ambiguous', reason: 'service-unavailable' }, 'failure'],
    ['504', res(504), { kind: 'ambiguous', reason: 'gateway-timeout' }, 'failure'],
    ['400', res(400), { kind: 'fatal', reason: 'client-error' }, 'ignore'],
    ['401', res(401), { kind: 'fatal', reason: 'client-error' }, 'ignore'],
    ['404', res(404), { kind: 'fatal', reason: 'client-error' }, 'ignore'],
    ['422', res(422), { kind: 'fatal', reason: 'client-error' }, 'ignore'],
    ['501', res(501), { kind: 'fatal', reason: 'unexpected-status' }, 'ignore'],
    [
      'refused',
      err(new NetworkError('refused', { maybeSent: false })),
      { kind: 'retryable', reason: 'network' },
      'failure',
    ],
    ['reset after write', err(new NetworkError('reset', { maybeSent: true })), { kind: 'ambiguous' }, 'failure'],
    ['connect timeout', err(new TimeoutError('connect', 5, { maybeSent: false })), { kind: 'retryable' }, 'failure'],
    ['headers timeout', err(new TimeoutError('headers', 5, { maybeSent: true })), { kind: 'ambiguous' }, 'failure'],
    [
      'api error 503',
      err(new AlpacaApiError({ status: 503, method: 'GET', path: '/', message: 'x' })),
      { kind: 'ambiguous' },
      'failure',
    ],
    [
      'api error 429',
      err(new AlpacaApiError({ status: 429, method: 'GET', path: '/', message: 'x', retryAfterMs: 900 })),
      { kind: 'retryable', retryAfterMs: 900 },
      'ignore',
    ],
    ['aborted (corral)', err(new AbortedError()), { kind: 'fatal', reason: 'aborted' }, 'ignore'],
    ['aborted (DOM)', err(AbortSignal.abort().reason), { kind: 'fatal', reason: 'aborted' }, 'ignore'],
    [
      'circuit open',
      err(new CircuitOpenError('x', 50, 'open')),
      { kind: 'fatal', reason: 'circuit-open', retryAfterMs: 50 },
      'ignore',
    ],
    ['saturated', err(new TransportSaturatedError(10)), { kind: 'fatal', reason: 'saturated' }, 'ignore'],
    ['redirect', err(new RedirectRefusedError(302, 'evil.test')), { kind: 'fatal', reason: 'redirect' }, 'ignore'],
    ['too large', err(new ResponseTooLargeError(1, 200)), { kind: 'fatal', reason: 'too-large' }, 'ignore'],
    ['bad gzip', err(new InvalidResponseError('x', 200)), { kind: 'fatal', reason: 'invalid-response' }, 'failure'],
    ['programmer error', err(new TypeError('x is undefined')), { kind: 'fatal', reason: 'error' }, 'ignore'],
    ['config error', err(new ConfigError('a', 'b')), { kind: 'fatal', reason: 'error' }, 'ignore'],
  ])('%s', (_name, outcome, expected, verdict) => {
    const c = classifyOutcome(outcome, NOW);
    expect(c).toMatchObject(expected);
    expect(breakerVerdict(c)).toBe(verdict);
  });

  it('treats any failure after the signal aborted as an abort', () => {
    const signal = AbortSignal.abort();
    expect(classifyOutcome(err(new NetworkError('reset', { maybeSent: true })), NOW, signal).reason).toBe('aborted');
  });

  it('reads X-RateLimit-Reset on 429', () => {
    const c = classifyOutcome(res(429, { 'x-ratelimit-reset': String(NOW / 1000 + 30) }), NOW);
    expect(c.retryAfterMs).toBe(30_000);
  });
});
