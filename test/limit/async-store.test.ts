/**
 * The limiter's shared-store path (as used by RedisStore), driven deterministically: an asynchronous LimiterStore
 * built on the real MemoryStore, optionally taking fake time per round trip, counting its calls.
 */
import { describe, expect, it } from 'vitest';
import { type Clock, sleep } from '../../src/core/clock.js';
import { ConfigError } from '../../src/core/errors.js';
import { Emitter } from '../../src/core/events.js';
import { FakeClock, flushMicrotasks } from '../../src/core/fake-clock.js';
import {
  type AdmitRequest,
  type LimiterStore,
  MemoryStore,
  RateLimitedError,
  type StoreScope,
  type StoreSession,
  type StoreStatus,
  StoreUnavailableError,
} from '../../src/limit/index.js';
import { rig } from './helpers.js';

class AsyncStore implements LimiterStore {
  readonly kind = 'async-test';
  readonly calls = { admit: 0, predict: 0, release: 0, block: 0 };
  unavailable = false;
  private readonly inner = new MemoryStore();
  constructor(
    private readonly clock: Clock,
    private readonly latencyMs = 0,
  ) {}

  open(scope: StoreScope): StoreSession {
    const s = this.inner.open(scope);
    const hop = async <T>(call: keyof AsyncStore['calls'], f: () => T | Promise<T>): Promise<T> => {
      this.calls[call]++;
      if (this.latencyMs > 0) await sleep(this.clock, this.latencyMs);
      else await Promise.resolve();
      if (this.unavailable) throw new StoreUnavailableError('test store is down');
      return await f();
    };
    const status = new Emitter<StoreStatus>();
    return {
      kind: this.kind,
      synchronous: false,
      admit: (r: AdmitRequest) => hop('admit', () => s.admit(r)),
      predict: (d: number, caps: readonly number[]) => hop('predict', () => s.predict(d, caps)),
      release: (id: string, w: number, sent: boolean) => hop('release', () => s.release(id, w, sent)),
      block: (ms: number) => hop('block', () => s.block(ms)),
      usage: () => s.usage(),
      status: () => ({ degraded: false }),
      onStatus: status.event,
      onChange: s.onChange,
      close: () => s.close(),
    };
  }
}

describe('shared-store drain', () => {
  it('admits callers that queued during a round trip at once when budget is free (no fallback sleep)', async () => {
    const clock = new FakeClock();
    const store = new AsyncStore(clock, 1);
    const r = rig({ windows: [{ limit: 100, windowMs: 1000 }], criticalReserve: 0, store }, clock);
    const admitted: number[] = [];
    for (let i = 0; i < 5; i++) void r.limiter.acquire().then(() => admitted.push(clock.now()));
    for (let i = 0; i < 20 && admitted.length < 5; i++) await clock.tickAsync(1);
    // one round trip (1 ms of fake time) each, back to back: nowhere near the 1 s window
    expect(admitted).toHaveLength(5);
    expect(Math.max(...admitted)).toBeLessThanOrEqual(10);
  });

  it('only queue heads talk to the store: one failed attempt per wake-up, not one per waiter', async () => {
    const clock = new FakeClock();
    const store = new AsyncStore(clock);
    const r = rig({ windows: [{ limit: 5, windowMs: 1000 }], store, jitterMs: 0 }, clock);
    for (let i = 0; i < 5; i++) (await r.limiter.acquire()).release();
    const before = { ...store.calls };
    for (let i = 0; i < 40; i++) r.acquire(`q${i}`, { deadlineMs: 60_000 });
    await flushMicrotasks();
    // The head tried once; the 39 behind it asked for one prediction each (fail-fast), nothing more.
    expect(store.calls.admit - before.admit).toBe(1);
    expect(store.calls.predict - before.predict).toBe(39);
    const afterEnqueue = store.calls.admit;
    await clock.tickAsync(1000);
    // 5 admitted at 1000, plus one failed attempt for the next head.
    expect(r.order.map(([, t]) => t)).toEqual([1000, 1000, 1000, 1000, 1000]);
    expect(store.calls.admit - afterEnqueue).toBe(6);
    await clock.tickAsync(7000);
    expect(r.order).toHaveLength(40);
  });

  it('fails fast for a head from its store answer and for followers from the prediction', async () => {
    const clock = new FakeClock();
    const r = rig({ windows: [{ limit: 2, windowMs: 10_000 }], store: new AsyncStore(clock), jitterMs: 0 }, clock);
    (await r.limiter.acquire()).release();
    (await r.limiter.acquire()).release();
    const head = r.acquire('head', { deadlineMs: 5000 });
    const ok = r.acquire('ok', { deadlineMs: 10_000 });
    const follower = r.acquire('follower', { deadlineMs: 15_000 }); // third in line: 20 s
    await flushMicrotasks();
    expect(head.error).toMatchObject({ retryAfterMs: 10_000, source: 'local' });
    expect(follower.error).toBeInstanceOf(RateLimitedError);
    expect(follower.error).toMatchObject({ retryAfterMs: 20_000 });
    await clock.tickAsync(10_000); // due exactly at its deadline: admitted, not rejected
    expect(ok.done && !ok.error).toBe(true);
  });

  it('wakes at the computed time plus jitter (0..jitterMs), never polls', async () => {
    const clock = new FakeClock();
    const r = rig({ windows: [{ limit: 1, windowMs: 1000 }], store: new AsyncStore(clock), jitterMs: 50 }, clock);
    (await r.limiter.acquire()).release();
    r.acquire('w');
    await flushMicrotasks();
    expect(clock.pendingTimers()).toBe(2); // one wake-up, one deadline: no heartbeat
    const wakeAt = clock.nextTimerAt()!;
    expect(wakeAt).toBeGreaterThanOrEqual(1000);
    expect(wakeAt).toBeLessThanOrEqual(1050);
    await clock.tickAsync(1050);
    expect(r.order[0]![1]).toBe(wakeAt);
  });

  it('the deadline timer rejects a waiter stuck behind slow store round trips', async () => {
    const clock = new FakeClock();
    const store = new AsyncStore(clock, 300);
    const r = rig({ windows: [{ limit: 10, windowMs: 1000 }], store, jitterMs: 0 }, clock);
    const w = r.acquire('w', { deadlineMs: 100 });
    await clock.tickAsync(101);
    expect(w.error).toBeInstanceOf(RateLimitedError);
    await clock.tickAsync(200); // the store admitted it at 300 after all...
    expect(r.limiter.snapshot().windows[0]!.used).toBe(1);
    await clock.tickAsync(300); // ...so the limiter gave it back (one more slow round trip)
    expect(store.calls.release).toBe(1);
    expect(r.limiter.snapshot().windows[0]!.used).toBe(0);
  });

  it('an unavailable store rejects with its error and the store-unavailable reason', async () => {
    const clock = new FakeClock();
    const store = new AsyncStore(clock);
    store.unavailable = true;
    const r = rig({ store }, clock);
    await expect(r.limiter.acquire()).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(r.events.at(-1)).toEqual({ type: 'rejected', lane: 'default', reason: 'store-unavailable' });
  });

  it('tryAcquire needs a synchronous store', () => {
    const r = rig({ store: new AsyncStore(new FakeClock()) });
    expect(() => r.limiter.tryAcquire()).toThrow(ConfigError);
  });

  it('a 429 blocks without a store round trip per waiter', async () => {
    const clock = new FakeClock();
    const store = new AsyncStore(clock);
    const r = rig({ windows: [{ limit: 1, windowMs: 1000 }], store, jitterMs: 0 }, clock);
    (await r.limiter.acquire()).release();
    for (let i = 0; i < 10; i++) r.acquire(`w${i}`);
    await flushMicrotasks();
    const admits = store.calls.admit;
    r.limiter.observe(429, { 'retry-after': '30' });
    await clock.tickAsync(29_999);
    expect(store.calls.admit).toBe(admits);
    expect(store.calls.block).toBe(1);
    await clock.tickAsync(1);
    expect(r.order).toEqual([['w0', 30_000]]);
  });
});
