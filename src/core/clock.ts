/**
 * Injected time. Everything in corral that waits, measures or timestamps goes through a {@link Clock}
 * so tests can drive time with {@link FakeClock} and the simulator can scale it.
 *
 * This module (with random.ts) is the only place allowed to touch the host's clock.
 */

/** Opaque handle returned by {@link Clock.setTimeout}. */
export interface TimerHandle {
  readonly __corralTimer: true;
}

export interface TimerOptions {
  /** Do not keep the process alive for this timer. @default true */
  unref?: boolean;
}

export interface Clock {
  /** Monotonic milliseconds (fractional). Only differences are meaningful; never jumps backwards. */
  now(): number;
  /** Wall-clock epoch milliseconds. Use only to read or write absolute timestamps (headers, RFC-3339). */
  wallNow(): number;
  /** Runs `fn` after `ms` milliseconds of this clock's time. */
  setTimeout(fn: () => void, ms: number, options?: TimerOptions): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  /**
   * Optional: a recent monotonic reading, never later than `now()` and possibly earlier, at no cost. For checks
   * where an early time only errs on the safe side (an admission check sees fewer expirations). A clock without it
   * is read with `now()`.
   */
  recent?(): number;
}

interface NodeTimer {
  unref?: () => void;
}

/** The host clock. Timer globals are read lazily so `@sinonjs/fake-timers` keeps working. */
export class SystemClock implements Clock {
  private last = 0;
  now(): number {
    const t = globalThis.performance.now();
    this.last = t;
    return t;
  }
  /** The last `now()` reading: a host clock read costs 35-45 ns, a hot path may not need a fresh one. */
  recent(): number {
    return this.last;
  }
  wallNow(): number {
    return Date.now();
  }
  setTimeout(fn: () => void, ms: number, options?: TimerOptions): TimerHandle {
    const t = globalThis.setTimeout(fn, Math.max(0, ms)) as unknown as NodeTimer;
    if (options?.unref !== false) t.unref?.();
    return t as unknown as TimerHandle;
  }
  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle !== undefined) globalThis.clearTimeout(handle as unknown as ReturnType<typeof setTimeout>);
  }
}

/** Shared default instance. */
export const systemClock: Clock = new SystemClock();

/**
 * Resolves after `ms` of `clock` time; rejects with the signal's reason when aborted.
 * The timer is unref'd unless `keepAlive` is set.
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal, keepAlive = false): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  if (ms <= 0 && !signal) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(abortReason(signal as AbortSignal));
    };
    const handle = clock.setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
      { unref: !keepAlive },
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The reason an AbortSignal carries, or a DOMException-like AbortError when it has none. */
export function abortReason(signal: AbortSignal): unknown {
  if (signal.reason !== undefined) return signal.reason;
  const err = new Error('The operation was aborted');
  err.name = 'AbortError';
  return err;
}

/**
 * A clock whose time runs `1 / scale` times faster than `base` (scale 0.01: one minute passes in 0.6 s).
 * `wallNow()` starts at `wallStart` and advances at the scaled rate; used for the simulator's market time.
 */
export class ScaledClock implements Clock {
  private readonly monoStart: number;
  constructor(
    private readonly base: Clock,
    readonly scale: number,
    private readonly wallStart: number = base.wallNow(),
  ) {
    if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`scale must be a positive number, got ${scale}`);
    this.monoStart = base.now();
  }
  now(): number {
    return (this.base.now() - this.monoStart) / this.scale;
  }
  wallNow(): number {
    return this.wallStart + this.now();
  }
  setTimeout(fn: () => void, ms: number, options?: TimerOptions): TimerHandle {
    return this.base.setTimeout(fn, ms * this.scale, options);
  }
  clearTimeout(handle: TimerHandle | undefined): void {
    this.base.clearTimeout(handle);
  }
}
