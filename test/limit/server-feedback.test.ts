import { describe, expect, it } from 'vitest';
import { FakeClock, flushMicrotasks } from '../../src/core/fake-clock.js';
import { SeededRandom } from '../../src/core/random.js';
import { MemoryStore, RateLimitedError, RateLimiter } from '../../src/limit/index.js';
import { rig } from './helpers.js';

const httpDate = (ms: number) => new Date(ms).toUTCString();
/** FakeClock's default wall time at monotonic 0 (a whole second). */
const WALL0 = Date.UTC(2024, 6, 23, 14, 0);

describe('server view (X-RateLimit-Remaining / Reset)', () => {
  it('adopts the stricter view until Reset: remaining minus what was admitted after the observed request', async () => {
    const r = rig({ windows: [{ limit: 200, windowMs: 60_000 }] });
    const p1 = await r.limiter.acquire();
    const p2 = await r.limiter.acquire(); // admitted after p1: the server had not counted it yet
    r.limiter.observe(
      200,
      { 'X-RateLimit-Remaining': '3', 'X-RateLimit-Reset': String(WALL0 / 1000 + 30), Date: httpDate(WALL0) },
      p1,
    );
    expect(r.events.at(-1)).toEqual({ type: 'server-sync', remaining: 3, resetInMs: 30_000 });
    expect(r.limiter.snapshot().server).toMatchObject({
      remaining: 3,
      effectiveRemaining: 2,
      resetInMs: 30_000,
      asOf: 0,
    });
    expect(r.limiter.tryAcquire()).toBeDefined();
    expect(r.limiter.tryAcquire()).toBeDefined();
    expect(r.limiter.tryAcquire()).toBeUndefined(); // own log has 196 left
    const err = await r.limiter.acquire({ deadlineMs: 1000 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryAfterMs: 30_000, source: 'server' });
    r.acquire('w');
    await r.clock.tickAsync(30_000);
    expect(r.order).toEqual([['w', 30_000]]);
    expect(r.limiter.snapshot().server).toBeUndefined();
    p2.release();
  });

  it('ignores a view that only repeats what its own log knows (Reset is whole seconds: it would idle the budget)', async () => {
    const r = rig({ windows: [{ limit: 5, windowMs: 1000 }], criticalReserve: 0 });
    const permits = [];
    for (let i = 0; i < 5; i++) permits.push(await r.limiter.acquire());
    // The server counted exactly our five: remaining 0 until the next whole second (it may be up to 1 s late).
    for (const [i, p] of permits.entries()) {
      r.limiter.observe(
        200,
        {
          'X-RateLimit-Limit': '5',
          'X-RateLimit-Remaining': String(4 - i),
          'X-RateLimit-Reset': String(WALL0 / 1000 + 2),
          Date: httpDate(WALL0),
        },
        p,
      );
      p.release();
    }
    expect(r.limiter.snapshot().server).toBeUndefined();
    r.acquire('next');
    await r.clock.tickAsync(1000); // our exact log frees the first slot one window after its release
    expect(r.order).toEqual([['next', 1000]]);
  });

  it('a newer view replaces an older one; a late older response is ignored', async () => {
    const r = rig({ windows: [{ limit: 200, windowMs: 60_000 }] });
    const p1 = await r.limiter.acquire();
    const p2 = await r.limiter.acquire();
    const reset = String(WALL0 / 1000 + 60);
    r.limiter.observe(200, { 'x-ratelimit-remaining': '50', 'x-ratelimit-reset': reset }, p2);
    r.limiter.observe(200, { 'x-ratelimit-remaining': '51', 'x-ratelimit-reset': reset }, p1);
    expect(r.limiter.snapshot().server).toMatchObject({ remaining: 50, effectiveRemaining: 50 });
    r.limiter.observe(200, { 'x-ratelimit-remaining': '40', 'x-ratelimit-reset': reset }); // no permit: as of now
    expect(r.limiter.snapshot().server).toMatchObject({ remaining: 40, effectiveRemaining: 40 });
  });

  it('keeps the critical reserve back from other lanes in the server view too', async () => {
    const r = rig({ windows: [{ limit: 10, windowMs: 60_000 }], criticalReserve: 0.1 });
    r.limiter.observe(200, { 'X-RateLimit-Remaining': '1', 'X-RateLimit-Reset': String(WALL0 / 1000 + 20) });
    expect(r.limiter.tryAcquire()).toBeUndefined();
    expect(r.limiter.tryAcquire({ lane: 'critical' })).toBeDefined();
  });

  it('corrects Reset for server clock skew from Date, erring long', () => {
    const clock = new FakeClock();
    const r = rig({ windows: [{ limit: 200, windowMs: 60_000 }] }, clock);
    // The server runs 5.4 s ahead of our wall clock; its Date header has second resolution.
    const serverNow = () => clock.wallNow() + 5400;
    const headers = () => ({
      Date: httpDate(Math.floor(serverNow() / 1000) * 1000),
      'X-RateLimit-Remaining': '100',
      'X-RateLimit-Reset': String(Math.ceil((serverNow() + 10_000) / 1000)),
    });
    r.limiter.observe(200, headers());
    const first = r.limiter.snapshot();
    // True time to reset: 10.6 s. Without the Date correction we would say 16 s; we say 11 s (never less than true).
    expect(first.server?.resetInMs).toBe(11_000);
    expect(first.serverOffsetMs).toEqual({ min: 5000, max: 6000 });
    clock.advance(700);
    r.limiter.observe(200, headers());
    const second = r.limiter.snapshot();
    expect(second.serverOffsetMs).toEqual({ min: 5300, max: 6000 }); // narrowed, still holds the true 5400
    expect(second.server!.resetInMs).toBeGreaterThanOrEqual(
      Math.ceil((serverNow() + 10_000) / 1000) * 1000 - serverNow(),
    );
  });
});

describe('learned limits (X-RateLimit-Limit)', () => {
  it('learns a larger limit for the main window', async () => {
    const r = rig({ windows: 'trading' });
    r.limiter.observe(200, { 'X-RateLimit-Limit': '1000' });
    expect(r.events).toContainEqual({ type: 'limit-learned', windowMs: 60_000, from: 200, to: 1000 });
    expect(r.limiter.snapshot().windows.map((w) => w.limit)).toEqual([1000, 10]);
    r.limiter.observe(200, { 'X-RateLimit-Limit': '1000' });
    expect(r.events.filter((e) => e.type === 'limit-learned')).toHaveLength(1);
  });

  it('with learnLimit false, never raises but still adopts a smaller limit', async () => {
    const r = rig({ windows: [{ limit: 200, windowMs: 60_000 }], learnLimit: false });
    r.limiter.observe(200, { 'X-RateLimit-Limit': '1000' });
    expect(r.limiter.snapshot().windows[0]!.limit).toBe(200);
    r.limiter.observe(200, { 'X-RateLimit-Limit': '100' });
    expect(r.limiter.snapshot().windows[0]!.limit).toBe(100);
    expect(r.events).toContainEqual({ type: 'limit-learned', windowMs: 60_000, from: 200, to: 100 });
  });

  it('a larger learned limit admits waiters at once', async () => {
    const r = rig({ windows: [{ limit: 2, windowMs: 60_000 }] });
    (await r.limiter.acquire()).release();
    (await r.limiter.acquire()).release();
    r.acquire('w');
    r.limiter.observe(200, { 'x-ratelimit-limit': '3' });
    await flushMicrotasks();
    expect(r.order).toEqual([['w', 0]]);
  });
});

describe('429 blocks', () => {
  it('Retry-After blocks every lane, critical too', async () => {
    const r = rig({ windows: [{ limit: 200, windowMs: 60_000 }] });
    r.limiter.observe(429, { 'Retry-After': '5' });
    expect(r.events).toContainEqual({ type: 'server-block', blockedForMs: 5000, source: 'retry-after' });
    expect(r.limiter.snapshot().blockedForMs).toBe(5000);
    await expect(r.limiter.acquire({ lane: 'critical', deadlineMs: 1000 })).rejects.toMatchObject({
      retryAfterMs: 5000,
      source: 'server',
    });
    r.acquire('c', { lane: 'critical' });
    await r.clock.tickAsync(5000);
    expect(r.order).toEqual([['c', 5000]]);
  });

  it('Retry-After as an HTTP date is read on the server clock', () => {
    const r = rig();
    r.limiter.observe(429, { Date: httpDate(WALL0 + 3000), 'Retry-After': httpDate(WALL0 + 10_000) });
    expect(r.limiter.snapshot().blockedForMs).toBe(7000);
  });

  it('without Retry-After, blocks until Reset', () => {
    const r = rig();
    r.limiter.observe(429, { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(WALL0 / 1000 + 42) });
    expect(r.events).toContainEqual({ type: 'server-block', blockedForMs: 42_000, source: 'reset' });
  });

  it('without either, backs off 1 s doubling per consecutive 429 (jittered, capped at 60 s)', async () => {
    const r = rig({ random: new SeededRandom('backoff') });
    const blocks: number[] = [];
    r.limiter.onEvent((e) => {
      if (e.type === 'server-block') blocks.push(e.blockedForMs);
    });
    for (let i = 0; i < 8; i++) {
      r.limiter.observe(429, {});
      await r.clock.tickAsync(blocks.at(-1)!);
    }
    const bases = [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000];
    blocks.forEach((b, i) => {
      expect(b).toBeGreaterThanOrEqual(bases[i]!);
      expect(b).toBeLessThanOrEqual(Math.min(60_000, bases[i]! * 1.5));
    });
    expect(new Set(blocks.slice(0, 6).map((b, i) => b / bases[i]!)).size).toBeGreaterThan(1); // jitter varies
    r.limiter.observe(200, {});
    r.limiter.observe(429, {});
    expect(blocks.at(-1)).toBeLessThanOrEqual(1500); // a success resets the count
  });

  it('rejects queued waiters whose deadline the block puts out of reach, keeps the others', async () => {
    const r = rig({ windows: [{ limit: 1, windowMs: 1000 }] });
    (await r.limiter.acquire()).release();
    const short = r.acquire('short', { deadlineMs: 2000 });
    const long = r.acquire('long', { deadlineMs: 60_000 });
    r.limiter.observe(429, { 'retry-after': '10' });
    await flushMicrotasks();
    expect(short.error).toBeInstanceOf(RateLimitedError);
    expect(short.error).toMatchObject({ retryAfterMs: 10_000, source: 'server' });
    expect(r.events).toContainEqual({ type: 'rejected', lane: 'default', reason: 'deadline', retryAfterMs: 10_000 });
    await r.clock.tickAsync(10_000);
    expect(long.done && !long.error).toBe(true);
    expect(r.order).toEqual([['long', 10_000]]);
  });

  it('the block goes through the store: every limiter sharing it blocks', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore();
    const a = new RateLimiter({ windows: 'trading', store, clock });
    const b = new RateLimiter({ windows: 'trading', store, clock });
    a.observe(429, { 'Retry-After': '3' });
    await expect(b.acquire({ lane: 'critical', deadlineMs: 100 })).rejects.toMatchObject({
      retryAfterMs: 3000,
      source: 'server',
    });
    expect(b.snapshot().blockedForMs).toBe(3000);
    clock.advance(3000);
    expect(b.tryAcquire({ lane: 'critical' })).toBeDefined();
  });

  it('ignores a permit from another limiter (observes as of now)', async () => {
    const a = rig();
    const b = rig();
    const foreign = await b.limiter.acquire();
    a.limiter.observe(200, { 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': String(WALL0 / 1000 + 9) }, foreign);
    expect(a.limiter.snapshot().server).toMatchObject({ remaining: 5, asOf: 0 });
  });
});
