import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/fake-clock.js';
import { SeededRandom } from '../../src/core/random.js';
import {
  constantBackoff,
  type GiveUpEvent,
  NetworkError,
  type Outcome,
  type RetryContext,
  type RetryEvent,
  RetryPolicy,
  type RetryPolicyOptions,
  TimeoutError,
} from '../../src/http/index.js';

const clock = () => new FakeClock();
const res = (status: number, headers: Record<string, string> = {}): Outcome => ({ type: 'response', status, headers });
const err = (error: unknown): Outcome => ({ type: 'error', error });
const unsent = () => new NetworkError('connect ECONNREFUSED', { maybeSent: false, causeCode: 'ECONNREFUSED' });
const reset = () => new NetworkError('socket hang up', { maybeSent: true, causeCode: 'ECONNRESET' });

describe('RetryPolicy.decide', () => {
  const c = clock();
  const wall = c.wallNow();
  const resetIn = (s: number) => ({ 'x-ratelimit-reset': String(Math.floor(wall / 1000) + s) });
  const policy = (o: RetryPolicyOptions = {}) => new RetryPolicy({ clock: c, backoff: constantBackoff(100), ...o });

  type Row = [
    string,
    Partial<RetryContext> & { outcome: Outcome },
    { retry: boolean; delayMs?: number; reason?: string },
  ];
  const rows: Row[] = [
    ['GET 500 retries', { outcome: res(500) }, { retry: true, delayMs: 100 }],
    ['GET 502 retries', { outcome: res(502) }, { retry: true, delayMs: 100 }],
    ['GET 503 retries', { outcome: res(503) }, { retry: true, delayMs: 100 }],
    ['GET 504 retries', { outcome: res(504) }, { retry: true, delayMs: 100 }],
    ['GET 429 retries after the backoff', { outcome: res(429) }, { retry: true, delayMs: 100 }],
    [
      'GET 429 waits Retry-After seconds',
      { outcome: res(429, { 'retry-after': '5' }) },
      { retry: true, delayMs: 5000 },
    ],
    [
      'GET 429 waits for a Retry-After date',
      { outcome: res(429, { 'retry-after': new Date(wall + 7000).toUTCString() }) },
      { retry: true, delayMs: 7000 },
    ],
    ['GET 429 waits for X-RateLimit-Reset', { outcome: res(429, resetIn(12)) }, { retry: true, delayMs: 12_000 }],
    ['GET 503 honours Retry-After', { outcome: res(503, { 'retry-after': '2' }) }, { retry: true, delayMs: 2000 }],
    [
      'server hint below the backoff keeps the backoff',
      { outcome: res(429, { 'retry-after': '0' }) },
      { retry: true, delayMs: 100 },
    ],
    ['GET network error retries', { outcome: err(reset()) }, { retry: true }],
    ['GET timeout retries', { outcome: err(new TimeoutError('headers', 1, { maybeSent: true })) }, { retry: true }],
    ['200 stops', { outcome: res(200) }, { retry: false, reason: 'success' }],
    ['400 is never retried', { outcome: res(400) }, { retry: false, reason: 'not-retryable' }],
    ['401 is never retried', { outcome: res(401) }, { retry: false, reason: 'not-retryable' }],
    ['403 is never retried', { outcome: res(403) }, { retry: false, reason: 'not-retryable' }],
    ['404 is never retried', { outcome: res(404) }, { retry: false, reason: 'not-retryable' }],
    ['422 is never retried', { outcome: res(422) }, { retry: false, reason: 'not-retryable' }],
    [
      'programmer errors are never retried',
      { outcome: err(new TypeError('oops')) },
      { retry: false, reason: 'not-retryable' },
    ],
    ['POST 503 is not retried', { idempotent: false, outcome: res(503) }, { retry: false, reason: 'not-idempotent' }],
    [
      'POST 429 is not retried by default',
      { idempotent: false, outcome: res(429) },
      { retry: false, reason: 'not-idempotent' },
    ],
    [
      'POST refused is not retried by default',
      { idempotent: false, outcome: err(unsent()) },
      { retry: false, reason: 'not-idempotent' },
    ],
    [
      'POST reset is not retried',
      { idempotent: false, outcome: err(reset()) },
      { retry: false, reason: 'not-idempotent' },
    ],
    ['stops at maxAttempts', { attempt: 4, outcome: res(503) }, { retry: false, reason: 'max-attempts' }],
    ['retries below maxAttempts', { attempt: 3, outcome: res(503) }, { retry: true }],
    [
      'stops when the delay would overrun the budget',
      { elapsedMs: 59_950, outcome: res(503) },
      { retry: false, reason: 'budget' },
    ],
    ['retries when the delay fits the budget exactly', { elapsedMs: 59_900, outcome: res(503) }, { retry: true }],
    [
      'a server wait longer than the budget stops at once',
      { outcome: res(429, { 'retry-after': '120' }) },
      { retry: false, reason: 'budget', delayMs: 120_000 },
    ],
    ['stops after abort', { signal: AbortSignal.abort(), outcome: res(503) }, { retry: false, reason: 'aborted' }],
    ['abort errors stop', { outcome: err(AbortSignal.abort().reason) }, { retry: false, reason: 'aborted' }],
  ];

  it.each(rows)('%s', (_name, ctx, expected) => {
    const d = policy().decide({ attempt: 1, elapsedMs: 0, idempotent: true, ...ctx });
    expect(d).toMatchObject(expected);
  });

  it('retryUnsent retries provably unsent non-idempotent requests, never ambiguous ones', () => {
    const p = policy({ retryUnsent: true });
    const base = { attempt: 1, elapsedMs: 0, idempotent: false };
    expect(p.decide({ ...base, outcome: res(429) }).retry).toBe(true);
    expect(p.decide({ ...base, outcome: err(unsent()) }).retry).toBe(true);
    expect(p.decide({ ...base, outcome: err(new TimeoutError('connect', 5, { maybeSent: false })) }).retry).toBe(true);
    expect(p.decide({ ...base, outcome: err(reset()) })).toMatchObject({ retry: false, reason: 'not-idempotent' });
    expect(p.decide({ ...base, outcome: res(504) })).toMatchObject({ retry: false, reason: 'not-idempotent' });
  });

  it('threads the backoff: each decision continues from the previous one', () => {
    const p = new RetryPolicy({ clock: c, random: new SeededRandom(3) });
    const first = p.decide({ attempt: 1, elapsedMs: 0, idempotent: true, outcome: res(503) });
    if (!first.retry) throw new Error('expected a retry');
    const second = p.decide({ attempt: 2, elapsedMs: 0, idempotent: true, outcome: res(503), backoff: first.backoff });
    if (!second.retry) throw new Error('expected a retry');
    expect(first.delayMs).toBeGreaterThanOrEqual(100);
    expect(first.delayMs).toBeLessThanOrEqual(300);
    expect(second.delayMs).toBeLessThanOrEqual(Math.max(100, first.delayMs * 3));
  });

  it('validates options', () => {
    expect(() => new RetryPolicy({ maxAttempts: 0 })).toThrow(/retry.maxAttempts/);
    expect(() => new RetryPolicy({ budgetMs: -1 })).toThrow(/retry.budgetMs/);
  });
});

describe('RetryPolicy.execute', () => {
  function setup(o: RetryPolicyOptions = {}) {
    const c = clock();
    const policy = new RetryPolicy({ clock: c, random: new SeededRandom('exec'), ...o });
    const retries: RetryEvent[] = [];
    const giveUps: GiveUpEvent[] = [];
    policy.onRetry((e) => retries.push(e));
    policy.onGiveUp((e) => giveUps.push(e));
    return { c, policy, retries, giveUps };
  }

  it('retries until success, waiting the jittered delays on the clock', async () => {
    const { c, policy, retries, giveUps } = setup();
    const statuses = [503, 502, 200];
    const at: number[] = [];
    const p = policy.execute(
      async ({ attempt }) => {
        at.push(c.now());
        return { status: statuses[attempt - 1]!, headers: {} };
      },
      { idempotent: true },
    );
    await c.runAllAsync();
    expect((await p).status).toBe(200);
    expect(retries.map((r) => [r.attempt, r.reason])).toEqual([
      [1, 'service-unavailable'],
      [2, 'bad-gateway'],
    ]);
    expect(at[1]! - at[0]!).toBe(retries[0]!.delayMs);
    expect(at[2]! - at[1]!).toBe(retries[1]!.delayMs);
    for (const r of retries) expect(r.delayMs).toBeGreaterThanOrEqual(100);
    expect(giveUps).toEqual([]);
  });

  it('returns the last response and reports give-up after maxAttempts', async () => {
    const { c, policy, giveUps } = setup();
    let calls = 0;
    const p = policy.execute(async () => ({ status: 503, headers: {}, n: ++calls }), { idempotent: true });
    await c.runAllAsync();
    expect(await p).toMatchObject({ status: 503, n: 4 });
    expect(giveUps).toEqual([{ attempts: 4, reason: 'max-attempts', outcome: 'service-unavailable' }]);
  });

  it('rethrows the last error', async () => {
    const { c, policy, giveUps } = setup({ maxAttempts: 2 });
    let calls = 0;
    const p = policy.execute(
      async () => {
        calls++;
        throw reset();
      },
      { idempotent: true },
    );
    const settled = p.catch((e: unknown) => e);
    await c.runAllAsync();
    expect(await settled).toBeInstanceOf(NetworkError);
    expect(calls).toBe(2);
    expect(giveUps[0]).toMatchObject({ attempts: 2, reason: 'max-attempts', outcome: 'network' });
  });

  it('never retries a non-idempotent request on an ambiguous outcome', async () => {
    const { policy, giveUps } = setup();
    let calls = 0;
    const out = await policy.execute(async () => ({ status: 504, headers: {}, n: ++calls }), { idempotent: false });
    expect(out.status).toBe(504);
    expect(calls).toBe(1);
    expect(giveUps).toEqual([{ attempts: 1, reason: 'not-idempotent', outcome: 'gateway-timeout' }]);
  });

  it('waits at least the server’s Retry-After', async () => {
    const { c, policy } = setup();
    const at: number[] = [];
    const p = policy.execute(
      async ({ attempt }) => {
        at.push(c.now());
        return attempt === 1 ? { status: 429, headers: { 'retry-after': '3' } } : { status: 200, headers: {} };
      },
      { idempotent: true },
    );
    await c.runAllAsync();
    await p;
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(3000);
  });

  it('stops on abort during the wait, without another attempt', async () => {
    const { c, policy, giveUps } = setup();
    const ac = new AbortController();
    let calls = 0;
    const p = policy
      .execute(
        async ({ signal }) => {
          calls++;
          expect(signal).toBe(ac.signal);
          return { status: 503, headers: {} };
        },
        { idempotent: true, signal: ac.signal },
      )
      .catch((e: unknown) => e);
    await c.tickAsync(1);
    const reason = new Error('shutdown');
    ac.abort(reason);
    expect(await p).toBe(reason);
    await c.runAllAsync();
    expect(calls).toBe(1);
    expect(giveUps).toEqual([{ attempts: 1, reason: 'aborted', outcome: 'aborted' }]);
  });

  it('never spends more than the budget, whatever the jitter', async () => {
    for (let seed = 0; seed < 20; seed++) {
      const c = clock();
      const policy = new RetryPolicy({ clock: c, random: new SeededRandom(seed), budgetMs: 1_000, maxAttempts: 50 });
      const p = policy.execute(async () => ({ status: 503, headers: {} }), { idempotent: true });
      await c.runAllAsync();
      await p;
      expect(c.now()).toBeLessThanOrEqual(1_000);
    }
  });

  it('counts plain values as success and can map values with a custom outcome', async () => {
    const { policy } = setup();
    expect(await policy.execute(async () => 'ok', { idempotent: true })).toBe('ok');
    let calls = 0;
    const c2 = setup();
    const p = c2.policy.execute(async () => ++calls, {
      idempotent: true,
      outcome: (n) => (n < 2 ? { type: 'response', status: 503 } : { type: 'success' }),
    });
    await c2.c.runAllAsync();
    expect(await p).toBe(2);
  });
});
