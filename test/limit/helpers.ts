import { FakeClock } from '../../src/core/fake-clock.js';
import { SeededRandom } from '../../src/core/random.js';
import type { LimiterEvent, Permit, RateLimiterOptions } from '../../src/limit/index.js';
import { RateLimiter } from '../../src/limit/index.js';

/** Tracks a promise without awaiting it. */
export interface Tracked<T> {
  readonly promise: Promise<T>;
  done: boolean;
  value?: T;
  error?: unknown;
}

export function track<T>(promise: Promise<T>): Tracked<T> {
  const t: Tracked<T> = { promise, done: false };
  promise.then(
    (v) => {
      t.done = true;
      t.value = v;
    },
    (e: unknown) => {
      t.done = true;
      t.error = e;
    },
  );
  return t;
}

export interface Rig {
  clock: FakeClock;
  limiter: RateLimiter;
  events: LimiterEvent[];
  /** Admission log: [label, clock time]. */
  order: Array<[string, number]>;
  /** Acquires and, once admitted, records the label (and releases at once unless hold is set). */
  acquire(label: string, options?: Parameters<RateLimiter['acquire']>[0], hold?: boolean): Tracked<Permit>;
}

export function rig(options: Partial<RateLimiterOptions> = {}, clock = new FakeClock()): Rig {
  const limiter = new RateLimiter({
    windows: [{ limit: 10, windowMs: 1000 }],
    criticalReserve: 0,
    clock,
    random: new SeededRandom(1),
    ...options,
  });
  const events: LimiterEvent[] = [];
  limiter.onEvent((e) => events.push(e));
  const order: Array<[string, number]> = [];
  return {
    clock,
    limiter,
    events,
    order,
    acquire(label, acquireOptions, hold = false) {
      return track(
        limiter.acquire(acquireOptions).then((p) => {
          order.push([label, clock.now()]);
          if (!hold) p.release();
          return p;
        }),
      );
    },
  };
}

/** Uses `n` weight-1 permits now, released at once. */
export async function spend(limiter: RateLimiter, n: number, lane: Permit['lane'] = 'default'): Promise<void> {
  for (let i = 0; i < n; i++) (await limiter.acquire({ lane })).release();
}
