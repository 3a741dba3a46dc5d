import type { Clock, TimerHandle, TimerOptions } from './clock.js';

interface FakeTimer extends TimerHandle {
  id: number;
  at: number;
  fn: () => void;
}

export interface FakeClockOptions {
  /** Initial monotonic time in ms. @default 0 */
  now?: number;
  /** Initial wall-clock epoch ms. @default Date.UTC(2024, 6, 23, 14, 0) (a Tuesday, 10:00 New York) */
  wallNow?: number;
}

/**
 * A manually driven {@link Clock} for tests. Time only moves when you call {@link advance} or {@link tickAsync}.
 * Timers fire in deadline order (ties in creation order), each seeing `now()` equal to its deadline.
 */
export class FakeClock implements Clock {
  private mono: number;
  private wallOffset: number;
  private seq = 0;
  private timers: FakeTimer[] = [];

  constructor(options: FakeClockOptions = {}) {
    this.mono = options.now ?? 0;
    this.wallOffset = (options.wallNow ?? Date.UTC(2024, 6, 23, 14, 0)) - this.mono;
  }

  now(): number {
    return this.mono;
  }
  wallNow(): number {
    return this.mono + this.wallOffset;
  }
  setTimeout(fn: () => void, ms: number, _options?: TimerOptions): TimerHandle {
    const timer = { id: ++this.seq, at: this.mono + Math.max(0, ms), fn } as FakeTimer;
    this.timers.push(timer);
    return timer;
  }
  clearTimeout(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const i = this.timers.indexOf(handle as FakeTimer);
    if (i >= 0) this.timers.splice(i, 1);
  }

  /** Number of timers not yet fired. */
  pendingTimers(): number {
    return this.timers.length;
  }
  /** Deadline of the next timer, or undefined. */
  nextTimerAt(): number | undefined {
    return this.next()?.at;
  }
  /** Jumps the wall clock (as NTP would) without moving monotonic time. */
  setWall(epochMs: number): void {
    this.wallOffset = epochMs - this.mono;
  }

  /** Moves time forward by `ms`, firing due timers synchronously. */
  advance(ms: number): void {
    const target = this.mono + Math.max(0, ms);
    for (let t = this.next(); t && t.at <= target; t = this.next()) this.fire(t);
    this.mono = target;
  }

  /**
   * Moves time forward by `ms`, firing due timers one at a time and letting promise callbacks run between them,
   * so async code awaiting `sleep()` progresses as it would in real time.
   */
  async tickAsync(ms: number): Promise<void> {
    const target = this.mono + Math.max(0, ms);
    await flushMicrotasks();
    for (let t = this.next(); t && t.at <= target; t = this.next()) {
      this.fire(t);
      await flushMicrotasks();
    }
    this.mono = target;
    await flushMicrotasks();
  }

  /** Fires timers (flushing promises between) until none is left or `maxTimers` fired. Returns the count fired. */
  async runAllAsync(maxTimers = 10_000): Promise<number> {
    let n = 0;
    await flushMicrotasks();
    for (let t = this.next(); t && n < maxTimers; t = this.next(), n++) {
      this.fire(t);
      await flushMicrotasks();
    }
    return n;
  }

  private next(): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.timers) if (!best || t.at < best.at || (t.at === best.at && t.id < best.id)) best = t;
    return best;
  }
  private fire(t: FakeTimer): void {
    this.timers.splice(this.timers.indexOf(t), 1);
    if (t.at > this.mono) this.mono = t.at;
    t.fn();
  }
}

/** Lets pending promise reactions (and what they schedule) run. */
export async function flushMicrotasks(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}
