import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { AbortedError, ConfigError } from '../../src/core/errors.js';
import { FakeClock, flushMicrotasks } from '../../src/core/fake-clock.js';
import {
  MemoryStore,
  presets,
  QueueFullError,
  RateLimitedError,
  RateLimiter,
  type RateLimiterOptions,
} from '../../src/limit/index.js';
import { rig, spend, track } from './helpers.js';

describe('window admission', () => {
  it('admits up to the limit, then waits until the first release has been out a full window', async () => {
    const r = rig({ windows: [{ limit: 3, windowMs: 1000 }] });
    const held = [r.acquire('a', {}, true), r.acquire('b', {}, true), r.acquire('c', {}, true)];
    await flushMicrotasks();
    expect(held.every((t) => t.done)).toBe(true);
    await r.clock.tickAsync(200);
    held[0]!.value!.release(); // counts until 1200
    held[1]!.value!.release();
    held[2]!.value!.release();
    const d = r.acquire('d');
    await r.clock.tickAsync(999);
    expect(d.done).toBe(false);
    await r.clock.tickAsync(1);
    expect(r.order.at(-1)).toEqual(['d', 1200]);
    expect(d.value!.waitedMs).toBe(1000);
  });

  it('checks every window (trading preset: 200/min and 10/s)', async () => {
    const r = rig({ windows: 'trading', criticalReserve: 0.1 });
    await spend(r.limiter, 9); // default lane: the 10/s window keeps 1 in reserve
    const t = r.acquire('x');
    await flushMicrotasks();
    expect(t.done).toBe(false);
    await r.clock.tickAsync(1000);
    expect(t.done).toBe(true);
    expect(r.limiter.snapshot().windows.map((w) => [w.limit, w.used])).toEqual([
      [200, 10],
      [10, 1],
    ]);
  });

  it('names the budget after the preset', () => {
    expect(rig({ windows: 'data' }).limiter.snapshot().name).toBe('data');
    expect(rig({ windows: presets.data }).limiter.snapshot().name).toBe('default');
  });
});

describe('critical reserve', () => {
  const table: Array<[number, number, number]> = [
    // limit, criticalReserve, reserve
    [200, 0.1, 20],
    [10, 0.1, 1],
    [1, 0.1, 0],
    [2, 0.5, 1],
    [100, 0.07, 7],
    [5, 0, 0],
  ];
  for (const [limit, share, reserve] of table) {
    it(`limit ${limit} × ${share} → reserve ${reserve}`, () => {
      const r = rig({ windows: [{ limit, windowMs: 1000 }], criticalReserve: share });
      expect(r.limiter.snapshot().windows[0]).toMatchObject({
        reserve,
        remaining: limit - reserve,
        remainingCritical: limit,
      });
    });
  }

  it('other lanes stop at limit − reserve; critical may use the rest at once', async () => {
    const r = rig({ windows: [{ limit: 10, windowMs: 1000 }], criticalReserve: 0.2 });
    await spend(r.limiter, 8, 'background');
    const blocked = r.acquire('orders', { lane: 'orders' });
    const c1 = r.acquire('c1', { lane: 'critical' });
    const c2 = r.acquire('c2', { lane: 'critical' });
    await flushMicrotasks();
    expect([blocked.done, c1.done, c2.done]).toEqual([false, true, true]);
    expect(c1.value!.waitedMs).toBe(0);
  });
});

describe('lanes', () => {
  it('drains in priority order, FIFO within a lane', async () => {
    const r = rig({ windows: [{ limit: 2, windowMs: 1000 }] });
    await spend(r.limiter, 2);
    r.acquire('bg1', { lane: 'background' });
    r.acquire('d1');
    r.acquire('bg2', { lane: 'background' });
    r.acquire('o1', { lane: 'orders' });
    r.acquire('c1', { lane: 'critical' });
    r.acquire('d2');
    r.acquire('c2', { lane: 'critical' });
    await r.clock.tickAsync(10_000);
    expect(r.order.map(([l]) => l)).toEqual(['c1', 'c2', 'o1', 'd1', 'd2', 'bg1', 'bg2']);
    expect(r.order.map(([, t]) => t)).toEqual([1000, 1000, 2000, 2000, 3000, 3000, 4000]);
  });

  it('a newcomer queues behind waiters of its own lane even when budget is free', async () => {
    const r = rig({ windows: [{ limit: 1, windowMs: 1000 }] });
    await spend(r.limiter, 1);
    r.acquire('first');
    expect(r.limiter.tryAcquire()).toBeUndefined();
    expect(r.limiter.tryAcquire({ lane: 'critical' })).toBeUndefined(); // budget is gone for everyone
    await r.clock.tickAsync(1000);
    expect(r.order).toEqual([['first', 1000]]);
  });
});

describe('weights and skip-ahead', () => {
  it('a head that does not fit lets at most maxSkips lighter requests overtake it, then nothing', async () => {
    const r = rig({ windows: [{ limit: 10, windowMs: 1000 }], maxSkips: 4 });
    for (let i = 0; i < 10; i++) {
      (await r.limiter.acquire()).release();
      await r.clock.tickAsync(1); // records expire one per ms from 1000
    }
    r.acquire('H', { weight: 5 });
    for (let i = 1; i <= 6; i++) r.acquire(`s${i}`);
    await r.clock.tickAsync(2000);
    expect(r.order).toEqual([
      ['s1', 1000],
      ['s2', 1001],
      ['s3', 1002],
      ['s4', 1003],
      ['H', 1008], // s5 fits from 1004 on but may not pass H any more
      ['s5', 1009],
      ['s6', 2000],
    ]);
  });

  it('maxSkips 0 is strict FIFO', async () => {
    const r = rig({ windows: [{ limit: 3, windowMs: 1000 }], maxSkips: 0 });
    (await r.limiter.acquire({ weight: 2 })).release();
    r.acquire('H', { weight: 2 });
    r.acquire('light');
    await r.clock.tickAsync(5000);
    expect(r.order).toEqual([
      ['H', 1000],
      ['light', 1000],
    ]);
  });

  it('rejects a weight no window could ever hold, at once', async () => {
    const r = rig({ windows: [{ limit: 10, windowMs: 1000 }], criticalReserve: 0.1 });
    await expect(r.limiter.acquire({ weight: 10 })).rejects.toMatchObject({
      code: 'CORRAL_CONFIG',
      field: 'acquire.weight',
    });
    await expect(r.limiter.acquire({ weight: 10, lane: 'critical' })).resolves.toMatchObject({ weight: 10 });
    await expect(r.limiter.acquire({ weight: 1.5 })).rejects.toBeInstanceOf(ConfigError);
    expect(() => r.limiter.tryAcquire({ weight: 0 })).toThrow(ConfigError);
  });
});

describe('holds, release and refund', () => {
  it('refund (sent: false) frees the budget at once and wakes a waiter', async () => {
    const r = rig({ windows: [{ limit: 1, windowMs: 60_000 }] });
    const p = await r.limiter.acquire();
    const w = r.acquire('w');
    await r.clock.tickAsync(10);
    expect(w.done).toBe(false);
    p.release({ sent: false });
    await flushMicrotasks();
    expect(r.order).toEqual([['w', 10]]);
  });

  it('release is idempotent (a second call neither refunds nor double counts)', async () => {
    const r = rig({ windows: [{ limit: 2, windowMs: 1000 }] });
    const p = await r.limiter.acquire();
    p.release();
    p.release({ sent: false });
    expect(r.limiter.snapshot()).toMatchObject({ inFlight: 0, windows: [{ used: 1 }] });
  });

  it('a permit never released is released after maxHoldMs and then counts one more window', async () => {
    const r = rig({ windows: [{ limit: 1, windowMs: 1000 }], maxHoldMs: 5000 });
    await r.limiter.acquire(); // never released
    const w = r.acquire('w', { deadlineMs: 60_000 });
    await r.clock.tickAsync(5999);
    expect(w.done).toBe(false);
    await r.clock.tickAsync(1);
    expect(r.order).toEqual([['w', 6000]]);
  });
});

describe('predictions and fail-fast deadlines', () => {
  it('predicts the wait behind the queue and rejects at once when it exceeds the deadline', async () => {
    const r = rig({ windows: [{ limit: 10, windowMs: 1000 }] });
    await spend(r.limiter, 10);
    for (let i = 0; i < 15; i++) r.acquire(`q${i}`);
    expect(r.limiter.snapshot().nextAdmissionInMs).toBe(2000); // 10 at 1000, 5 + this one at 2000
    const err = await r.limiter.acquire({ deadlineMs: 1999 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err).toMatchObject({ code: 'CORRAL_RATE_LIMITED', retryAfterMs: 2000, source: 'local' });
    expect(r.events.at(-1)).toEqual({ type: 'rejected', lane: 'default', reason: 'deadline', retryAfterMs: 2000 });
    const ok = r.acquire('ok', { deadlineMs: 2000 });
    await r.clock.tickAsync(2000);
    expect(ok.done).toBe(true);
  });

  it('uses the per-lane default deadlines', async () => {
    const r = rig({ windows: [{ limit: 1, windowMs: 20_000 }] });
    await spend(r.limiter, 1);
    await expect(r.limiter.acquire({ lane: 'orders' })).rejects.toMatchObject({ retryAfterMs: 20_000 }); // 10 s
    const d = r.acquire('default'); // 60 s
    await r.clock.tickAsync(20_000);
    expect(d.done).toBe(true);
  });

  it('rejects a queued waiter once another limiter took the budget it counted on', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore();
    const a = rig({ windows: [{ limit: 2, windowMs: 1000 }], store }, clock);
    const b = rig({ windows: [{ limit: 2, windowMs: 1000 }], store }, clock);
    await spend(a.limiter, 1);
    const held = await a.limiter.acquire(); // in flight: counts at least until now + 1000
    const w = a.acquire('w', { weight: 2, deadlineMs: 1500 });
    await clock.tickAsync(100);
    held.release(); // counts until 1100: w predicted for 1100
    b.acquire('b', {}, true); // takes 1 at 1000 in the other process and keeps it
    await clock.tickAsync(1000);
    expect(w.error).toBeInstanceOf(RateLimitedError);
    expect(b.order).toEqual([['b', 1000]]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('admits a waiter that becomes admissible exactly at its deadline', async () => {
    const r = rig({ windows: [{ limit: 1, windowMs: 1000 }] });
    await spend(r.limiter, 1);
    const w = r.acquire('w', { deadlineMs: 1000 });
    await r.clock.tickAsync(1000);
    expect(w.error).toBeUndefined();
    expect(r.order).toEqual([['w', 1000]]);
  });
});

describe('abort, queue limits and close', () => {
  it('abort rejects with the signal reason and leaves no listener or timer behind', async () => {
    const r = rig({ windows: [{ limit: 1, windowMs: 1000 }] });
    await spend(r.limiter, 1);
    const ac = new AbortController();
    const w = r.acquire('w', { signal: ac.signal });
    await flushMicrotasks();
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    const reason = new Error('user gave up');
    ac.abort(reason);
    await flushMicrotasks();
    expect(w.error).toBe(reason);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    expect(r.clock.pendingTimers()).toBe(0);
    expect(r.limiter.snapshot().queued.default).toBe(0);
    expect(r.events.at(-1)).toEqual({ type: 'rejected', lane: 'default', reason: 'aborted' });
  });

  it('an already aborted signal rejects at once; admission removes the listener', async () => {
    const r = rig({ windows: [{ limit: 1, windowMs: 1000 }] });
    const ac = new AbortController();
    ac.abort();
    await expect(r.limiter.acquire({ signal: ac.signal })).rejects.toMatchObject({ name: 'AbortError' });
    await spend(r.limiter, 1);
    const live = new AbortController();
    r.acquire('w', { signal: live.signal });
    await r.clock.tickAsync(1000);
    expect(r.order).toEqual([['w', 1000]]);
    expect(getEventListeners(live.signal, 'abort')).toHaveLength(0);
  });

  it('QueueFullError when the lane already holds maxQueue waiters', async () => {
    const r = rig({ windows: [{ limit: 1, windowMs: 1000 }], maxQueue: 2 });
    await spend(r.limiter, 1);
    r.acquire('a');
    r.acquire('b');
    const err = await r.limiter.acquire().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueueFullError);
    expect(err).toMatchObject({ code: 'CORRAL_QUEUE_FULL', lane: 'default', maxQueue: 2 });
    r.acquire('o', { lane: 'orders' }); // every lane has its own queue
    expect(r.limiter.snapshot().queued).toMatchObject({ default: 2, orders: 1 });
    expect(r.events.some((e) => e.type === 'rejected' && e.reason === 'queue-full')).toBe(true);
  });

  it('close rejects waiters with AbortedError, clears timers and refuses new acquires', async () => {
    const r = rig({ windows: [{ limit: 1, windowMs: 1000 }] });
    await spend(r.limiter, 1);
    const w = r.acquire('w');
    await r.limiter.close();
    await flushMicrotasks();
    expect(w.error).toBeInstanceOf(AbortedError);
    expect(r.clock.pendingTimers()).toBe(0);
    await expect(r.limiter.acquire()).rejects.toBeInstanceOf(AbortedError);
    await r.limiter.close(); // idempotent
  });
});

describe('tryAcquire, wrap and snapshot', () => {
  it('tryAcquire admits synchronously or returns undefined', () => {
    const r = rig({ windows: [{ limit: 2, windowMs: 1000 }] });
    const a = r.limiter.tryAcquire();
    const b = r.limiter.tryAcquire({ lane: 'orders' });
    expect([a?.weight, b?.lane]).toEqual([1, 'orders']);
    expect(r.limiter.tryAcquire()).toBeUndefined();
    a!.release({ sent: false });
    expect(r.limiter.tryAcquire()).toBeDefined();
  });

  it('wrap releases after the call, also when it throws', async () => {
    const r = rig({ windows: [{ limit: 5, windowMs: 1000 }] });
    const ok = r.limiter.wrap(async (x: number) => x * 2);
    const bad = r.limiter.wrap(async () => {
      throw new Error('boom');
    });
    await expect(ok(21)).resolves.toBe(42);
    await expect(bad()).rejects.toThrow('boom');
    expect(r.limiter.snapshot()).toMatchObject({ inFlight: 0, windows: [{ used: 2 }] });
  });

  it('snapshot reports windows, in-flight, queues and the next admission', async () => {
    const r = rig({ windows: [{ limit: 10, windowMs: 1000 }], criticalReserve: 0.1 });
    const held = await r.limiter.acquire({ weight: 3 });
    await spend(r.limiter, 6);
    r.acquire('q', { lane: 'background' });
    const s = r.limiter.snapshot();
    expect(s).toMatchObject({
      name: 'default',
      store: 'memory',
      degraded: false,
      inFlight: 3,
      queued: { critical: 0, orders: 0, default: 0, background: 1 },
      blockedForMs: 0,
      windows: [{ limit: 10, windowMs: 1000, reserve: 1, used: 9, remaining: 0, remainingCritical: 1 }],
    });
    expect(s.nextAdmissionInMs).toBe(1000);
    held.release();
  });
});

describe('options validation', () => {
  const base: RateLimiterOptions = { windows: [{ limit: 10, windowMs: 1000 }] };
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['limit not an integer', { windows: [{ limit: 1.5, windowMs: 1000 }] }, 'limiter.windows[0].limit'],
    ['window not positive', { windows: [{ limit: 1, windowMs: 0 }] }, 'limiter.windows[0].windowMs'],
    ['no windows', { windows: [] }, 'limiter.windows'],
    ['unknown preset', { windows: 'turbo' }, 'limiter.windows'],
    [
      'duplicate windows',
      {
        windows: [
          { limit: 1, windowMs: 5 },
          { limit: 2, windowMs: 5 },
        ],
      },
      'limiter.windows',
    ],
    ['reserve too large', { criticalReserve: 0.6 }, 'limiter.criticalReserve'],
    ['negative deadline', { deadlineMs: { orders: -1 } }, 'limiter.deadlineMs.orders'],
    ['unknown lane deadline', { deadlineMs: { urgent: 5 } }, 'limiter.deadlineMs'],
    ['maxQueue 0', { maxQueue: 0 }, 'limiter.maxQueue'],
    ['key with a hash tag', { key: 'a{b}' }, 'limiter.key'],
    ['store that is not one', { store: {} }, 'limiter.store'],
    ['typo', { maxskips: 3 }, 'limiter'],
  ];
  for (const [name, patch, field] of cases) {
    it(name, () => {
      let err: unknown;
      try {
        new RateLimiter({ ...base, ...patch } as RateLimiterOptions);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).field).toBe(field);
    });
  }

  it('validates acquire options and names the field', async () => {
    const r = rig();
    await expect(r.limiter.acquire({ lane: 'vip' as 'default' })).rejects.toMatchObject({ field: 'acquire.lane' });
    await expect(r.limiter.acquire({ deadlineMs: Number.NaN })).rejects.toMatchObject({ field: 'acquire.deadlineMs' });
  });

  it('limiters sharing a MemoryStore budget must agree on windows and clock', () => {
    const store = new MemoryStore();
    const clock = new FakeClock();
    new RateLimiter({ ...base, store, clock });
    expect(() => new RateLimiter({ windows: [{ limit: 10, windowMs: 2000 }], store, clock })).toThrow(ConfigError);
    expect(() => new RateLimiter({ ...base, store, clock: new FakeClock() })).toThrow(ConfigError);
    new RateLimiter({ ...base, store, clock, name: 'data' }); // another budget is fine
  });
});

it('tracks settle state of the helper', async () => {
  const t = track(Promise.resolve(1));
  await flushMicrotasks();
  expect(t).toMatchObject({ done: true, value: 1 });
});
