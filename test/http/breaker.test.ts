import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/fake-clock.js';
import {
  BreakerRegistry,
  type BreakerStateChange,
  CircuitBreaker,
  type CircuitBreakerOptions,
  CircuitOpenError,
} from '../../src/http/index.js';

function setup(o: Omit<CircuitBreakerOptions, 'clock'> = {}) {
  const clock = new FakeClock();
  const breaker = new CircuitBreaker({ name: 'orders', clock, ...o });
  const events: BreakerStateChange[] = [];
  breaker.onStateChange((e) => events.push(e));
  const fail = (n = 1) => {
    for (let i = 0; i < n; i++) breaker.acquire().failure();
  };
  const succeed = (n = 1) => {
    for (let i = 0; i < n; i++) breaker.acquire().success();
  };
  return { clock, breaker, events, fail, succeed };
}

function rejected(fn: () => unknown): CircuitOpenError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CircuitOpenError) return err;
    throw err;
  }
  throw new Error('expected CircuitOpenError');
}

describe('CircuitBreaker', () => {
  it('starts closed and trips after 5 consecutive failures', () => {
    const { breaker, events, fail, succeed } = setup();
    fail(4);
    succeed(); // a success resets the streak
    fail(4);
    expect(breaker.state()).toMatchObject({ state: 'closed', consecutiveFailures: 4 });
    fail();
    expect(breaker.state()).toMatchObject({ state: 'open', openedAt: 0, reopensAt: 60_000, trips: 1 });
    expect(events).toEqual([
      { breaker: 'orders', from: 'closed', to: 'open', reason: 'consecutive-failures', retryAfterMs: 60_000 },
    ]);
  });

  it('rejects callers at once while open, with the time left', () => {
    const { clock, breaker, fail } = setup();
    fail(5);
    clock.advance(15_000);
    const err = rejected(() => breaker.acquire());
    expect(err).toMatchObject({ code: 'CORRAL_CIRCUIT_OPEN', breaker: 'orders', retryAfterMs: 45_000, state: 'open' });
  });

  it('trips on the failure ratio once minThroughput samples are in the window', () => {
    const { breaker, events, fail, succeed } = setup({ consecutiveFailures: 100 });
    // Alternate: never 2 failures in a row, ratio 50%.
    for (let i = 0; i < 9; i++) {
      succeed();
      fail();
    }
    expect(breaker.state().state).toBe('closed'); // 18 samples < minThroughput 20
    succeed();
    fail(); // 20 samples, 10 failures → 0.5
    expect(breaker.state().state).toBe('open');
    expect(events.at(-1)).toMatchObject({ from: 'closed', to: 'open', reason: 'failure-ratio' });
  });

  it('forgets samples older than the sampling window', () => {
    const { clock, breaker, fail, succeed } = setup({ consecutiveFailures: 100, samplingWindowMs: 10_000 });
    for (let i = 0; i < 9; i++) {
      succeed();
      fail();
    }
    clock.advance(11_000); // all 18 samples age out
    succeed();
    fail();
    expect(breaker.state()).toMatchObject({ state: 'closed', window: { successes: 1, failures: 1 } });
  });

  it('does not count ignored outcomes (429s, other 4xx, aborts)', () => {
    const { breaker, fail } = setup();
    fail(4);
    for (let i = 0; i < 50; i++) breaker.acquire().ignore();
    expect(breaker.state()).toMatchObject({
      state: 'closed',
      consecutiveFailures: 4,
      window: { successes: 0, failures: 4 },
    });
    breaker.acquire().report('ignore');
    fail();
    expect(breaker.state().state).toBe('open');
  });

  it('goes half-open after the break, admits 2 probes, rejects the rest and closes when both succeed', () => {
    const { clock, breaker, events, fail } = setup();
    fail(5);
    clock.advance(60_000);
    expect(events.at(-1)).toMatchObject({ from: 'open', to: 'half-open', reason: 'break-elapsed' });
    const p1 = breaker.acquire();
    const p2 = breaker.acquire();
    expect(p1.probe && p2.probe).toBe(true);
    clock.advance(4_000);
    const err = rejected(() => breaker.acquire());
    expect(err).toMatchObject({ state: 'half-open', retryAfterMs: 6_000 }); // until the first probe's deadline
    expect(breaker.state()).toMatchObject({ state: 'half-open', probesInFlight: 2, probeSuccesses: 0, trips: 1 });
    p1.success();
    expect(() => breaker.acquire()).toThrow(CircuitOpenError); // p1's slot stays used by its success
    p2.success();
    expect(breaker.state()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    expect(events.at(-1)).toMatchObject({ from: 'half-open', to: 'closed', reason: 'probes-succeeded' });
  });

  it('reopens on a failed probe with a doubled break, capped at maxBreakDurationMs', () => {
    const { clock, breaker, events, fail } = setup();
    fail(5);
    const breaks: number[] = [60_000];
    for (let trip = 2; trip <= 5; trip++) {
      clock.advance(breaker.state().state === 'open' ? breaks.at(-1)! : 0);
      breaker.acquire().failure();
      const s = breaker.state();
      if (s.state !== 'open') throw new Error('expected open');
      breaks.push(s.reopensAt - s.openedAt);
      expect(s.trips).toBe(trip);
      expect(events.at(-1)).toMatchObject({ from: 'half-open', to: 'open', reason: 'probe-failed' });
    }
    expect(breaks).toEqual([60_000, 120_000, 240_000, 300_000, 300_000]);
  });

  it('resets the break growth after a successful close', () => {
    const { clock, breaker, fail } = setup({ halfOpenProbes: 1 });
    fail(5);
    clock.advance(60_000);
    breaker.acquire().failure(); // trip 2: 120 s
    clock.advance(120_000);
    breaker.acquire().success(); // closes
    expect(breaker.state().state).toBe('closed');
    fail(5);
    expect(breaker.state()).toMatchObject({ state: 'open', trips: 1, reopensAt: clock.now() + 60_000 });
  });

  it('a probe that does not report within probeTimeoutMs counts as failed and reopens', () => {
    const { clock, breaker, events, fail } = setup();
    fail(5);
    clock.advance(60_000);
    const hung = breaker.acquire();
    clock.advance(9_999);
    expect(breaker.state().state).toBe('half-open');
    clock.advance(1);
    expect(breaker.state()).toMatchObject({ state: 'open', trips: 2 });
    expect(events.at(-1)).toMatchObject({ to: 'open', reason: 'probe-timeout', retryAfterMs: 120_000 });
    hung.success(); // too late: ignored
    expect(breaker.state().state).toBe('open');
  });

  it('an ignored probe frees its slot without counting', () => {
    const { clock, breaker, fail } = setup({ halfOpenProbes: 1 });
    fail(5);
    clock.advance(60_000);
    breaker.acquire().ignore(); // e.g. the probe got a 429
    expect(breaker.state()).toMatchObject({ state: 'half-open', probesInFlight: 0, probeSuccesses: 0 });
    breaker.acquire().success();
    expect(breaker.state().state).toBe('closed');
  });

  it('ignores late reports from tickets of an earlier state', () => {
    const { clock, breaker, fail } = setup();
    const early = breaker.acquire();
    fail(5);
    clock.advance(60_000);
    early.success(); // acquired while closed: must not count as a probe
    expect(breaker.state()).toMatchObject({ state: 'half-open', probeSuccesses: 0 });
    const t = breaker.acquire();
    t.failure();
    t.success(); // second report on the same ticket: ignored
    expect(breaker.state().state).toBe('open');
  });

  it('moves to half-open lazily too, when observed before its timer runs', () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker({ clock });
    for (let i = 0; i < 5; i++) breaker.acquire().failure();
    clock.setWall(0); // wall jumps do not matter: only monotonic time counts
    expect(breaker.state().state).toBe('open');
    clock.advance(60_000);
    expect(breaker.acquire().probe).toBe(true);
  });

  it('reset() closes it and forgets trips', () => {
    const { breaker, events, fail } = setup();
    fail(5);
    breaker.reset();
    expect(breaker.state()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    expect(events.at(-1)).toMatchObject({ from: 'open', to: 'closed', reason: 'reset' });
  });

  it('validates options', () => {
    expect(() => new CircuitBreaker({ failureRatio: 0 })).toThrow(/breaker.failureRatio/);
    expect(() => new CircuitBreaker({ halfOpenProbes: 0 })).toThrow(/breaker.halfOpenProbes/);
    expect(() => new CircuitBreaker({ breakDurationMs: 10, maxBreakDurationMs: 5 })).toThrow(/maxBreakDurationMs/);
  });
});

describe('BreakerRegistry', () => {
  it('keeps one breaker per group with merged options, and forwards events', () => {
    const clock = new FakeClock();
    const reg = new BreakerRegistry({ defaults: { clock }, groups: { orders: { consecutiveFailures: 2 } } });
    const events: BreakerStateChange[] = [];
    reg.onStateChange((e) => events.push(e));
    expect(reg.get('orders')).toBe(reg.get('orders'));
    reg.get('orders').acquire().failure();
    reg.get('orders').acquire().failure();
    reg.get('market-data').acquire().failure();
    expect(reg.states()).toMatchObject({ orders: { state: 'open' }, 'market-data': { state: 'closed' } });
    expect(events).toEqual([
      { breaker: 'orders', from: 'closed', to: 'open', reason: 'consecutive-failures', retryAfterMs: 60_000 },
    ]);
    expect(reg.groups()).toEqual(['orders', 'market-data']);
    reg.dispose();
  });

  it('bounds the number of groups', () => {
    const reg = new BreakerRegistry({ maxGroups: 2 });
    reg.get('a');
    reg.get('b');
    expect(() => reg.get('c')).toThrow(/breakers.group/);
    expect(() => new BreakerRegistry().get('')).toThrow(/breakers.group/);
  });
});
