/**
 * The waiting room: queued requests, their deadlines and abort signals, and the drain that admits them in lane order
 * when the single wake-up timer fires (no polling). Admission itself is the host's (the RateLimiter's).
 */
import { abortReason, type Clock, type TimerHandle } from '../core/clock.js';
import type { Random } from '../core/random.js';
import { RateLimitedError } from './errors.js';
import { LimiterPermit } from './permit.js';
import { LaneQueues, Scan, type Waiter } from './queue.js';
import type { LimiterEvent, RejectReason } from './types.js';

/** Why a request does not fit now, and for how long. */
export interface Verdict {
  waitMs: number;
  source: 'local' | 'server';
}

export interface DispatchHost {
  readonly clock: Clock;
  readonly random: Random;
  /** The store answers synchronously (drain inline) or not (one round trip per attempt). */
  readonly synchronous: boolean;
  readonly maxSkips: number;
  readonly jitterMs: number;
  /** Wake-up delay when no attempt said how long to wait. */
  readonly fallbackWakeMs: number;
  attemptSync(w: Waiter, now: number): LimiterPermit | Verdict;
  /** `gone` when the waiter was settled meanwhile (aborted, or rejected by the store). */
  attemptAsync(w: Waiter): Promise<LimiterPermit | Verdict | 'gone'>;
  blockedUntil(): number;
  emit(e: LimiterEvent): void;
}

/**
 * Shortest timer we set (a wake computed to land exactly on an expiry must not land a float ulp before it), and how
 * long after its deadline a waiter's deadline timer fires (so a wake-up due at the deadline itself runs first).
 */
const MIN_WAKE_MS = 0.001;

export class Dispatcher {
  readonly queues = new LaneQueues();
  private wakeTimer: TimerHandle | undefined;
  private wakeAtMs = Number.POSITIVE_INFINITY;
  private draining = false;
  private drainAgain = false;
  private closed = false;

  constructor(private readonly host: DispatchHost) {}

  /** When the next drain is due (Infinity if none is scheduled). */
  get wakeAt(): number {
    return this.wakeAtMs;
  }

  enqueue(w: Waiter, deadlineMs: number, signal: AbortSignal | undefined): void {
    const { clock } = this.host;
    this.queues.push(w);
    this.host.emit({ type: 'queued', lane: w.lane, queueLength: this.queues.length(w.lane) });
    w.deadlineTimer = clock.setTimeout(() => this.onDeadline(w), deadlineMs + MIN_WAKE_MS);
    if (signal) {
      w.signal = signal;
      w.onAbort = () => {
        if (w.settled) return;
        const first = this.queues.ordered()[0] === w;
        this.reject(w, abortReason(signal), 'aborted');
        this.afterRemoval(first);
      };
      signal.addEventListener('abort', w.onAbort, { once: true });
    }
  }

  reject(w: Waiter, err: unknown, reason: RejectReason | undefined, retryAfterMs?: number): void {
    this.settle(w);
    if (reason) {
      const e: LimiterEvent = { type: 'rejected', lane: w.lane, reason };
      if (retryAfterMs !== undefined) e.retryAfterMs = retryAfterMs;
      this.host.emit(e);
    }
    w.reject(err);
  }

  /** Rejects every waiter with `err` and stops all timers. */
  close(err: () => unknown): void {
    this.closed = true;
    this.clearWake();
    for (const w of this.queues.ordered()) this.reject(w, err(), 'aborted');
  }

  /** Admits what fits now, in lane order with bounded skip-ahead, and schedules the next wake-up. */
  drain(): void {
    if (this.closed) return;
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    if (this.queues.size === 0) {
      this.clearWake();
      return;
    }
    if (this.host.synchronous) this.drainSync();
    else void this.drainAsync();
  }

  private drainSync(): void {
    this.draining = true;
    try {
      do {
        this.drainAgain = false;
        const now = this.host.clock.now();
        const scan = new Scan(this.host.maxSkips);
        for (const w of this.queues.ordered()) {
          if (w.settled) continue;
          const step = scan.consider(w);
          if (step === 'stop') break;
          if (step === 'pass') continue;
          const r = this.host.attemptSync(w, now);
          if (r instanceof LimiterPermit) {
            scan.admitted();
            this.fulfil(w, r);
          } else if (this.failed(w, r, now, scan)) break;
        }
        this.scheduleWake(scan.minWait, now, false);
      } while (this.drainAgain && !this.closed);
    } finally {
      this.draining = false;
    }
  }

  /** Shared store: one round trip per attempt, and only heads (or lighter requests that may skip ahead) attempt. */
  private async drainAsync(): Promise<void> {
    this.draining = true;
    try {
      do {
        this.drainAgain = false;
        const scan = new Scan(this.host.maxSkips);
        let stopped = false;
        for (const w of this.queues.ordered()) {
          if (this.closed) return;
          if (w.settled) continue;
          const step = scan.consider(w);
          if (step === 'stop') {
            stopped = true;
            break;
          }
          if (step === 'pass') continue;
          const r = await this.host.attemptAsync(w);
          if (r === 'gone') continue;
          if (r instanceof LimiterPermit) {
            scan.admitted();
            this.fulfil(w, r);
          } else if (this.failed(w, r, this.host.clock.now(), scan)) {
            stopped = true;
            break;
          }
        }
        // Waiters that arrived during the round trips were not in this pass's snapshot: if nothing said "wait",
        // go round again now instead of sleeping until a fallback wake-up.
        if (!stopped && !Number.isFinite(scan.minWait) && this.queues.size > 0) this.drainAgain = true;
        else if (!this.closed) this.scheduleWake(scan.minWait, this.host.clock.now(), true);
      } while (this.drainAgain && !this.closed);
    } finally {
      this.draining = false;
    }
  }

  /** Records a failed attempt; rejects the waiter if its deadline is out of reach. True when a block stops the pass. */
  private failed(w: Waiter, v: Verdict, now: number, scan: Scan): boolean {
    w.readyAt = now + v.waitMs;
    w.readySource = v.source;
    const gone = w.readyAt > w.deadlineAt;
    if (gone) this.reject(w, new RateLimitedError(v.waitMs, v.source, w.lane), 'deadline', v.waitMs);
    scan.failed(w, v.waitMs, gone);
    return this.host.blockedUntil() > now;
  }

  private fulfil(w: Waiter, permit: LimiterPermit): void {
    this.settle(w);
    w.resolve(permit);
  }

  private settle(w: Waiter): void {
    w.settled = true;
    this.queues.remove(w);
    this.host.clock.clearTimeout(w.deadlineTimer);
    w.deadlineTimer = undefined;
    if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
  }

  private onDeadline(w: Waiter): void {
    if (w.settled) return;
    // Admissible right now after all: admit rather than reject.
    if (this.host.synchronous) this.drain();
    if (w.settled) return;
    const first = this.queues.ordered()[0] === w;
    const retryAfterMs = Math.max(0, w.readyAt - this.host.clock.now());
    this.reject(w, new RateLimitedError(retryAfterMs, w.readySource, w.lane), 'deadline', retryAfterMs);
    this.afterRemoval(first);
  }

  /** A removed head may have held others back; on a shared store only re-check when it was the head. */
  private afterRemoval(wasFirst: boolean): void {
    if (this.host.synchronous || wasFirst) this.drain();
  }

  /** One timer for the whole queue, at the earliest time a waiter could fit. */
  private scheduleWake(minWait: number, now: number, jitter: boolean): void {
    if (this.queues.size === 0) {
      this.clearWake();
      return;
    }
    let delay = Number.isFinite(minWait) ? minWait : this.host.fallbackWakeMs;
    // Processes sharing a store must not all wake in the same millisecond.
    if (jitter) delay += this.host.random.next() * this.host.jitterMs;
    delay = Math.max(delay, MIN_WAKE_MS);
    const at = now + delay;
    if (this.wakeTimer !== undefined && this.wakeAtMs === at) return;
    this.host.clock.clearTimeout(this.wakeTimer);
    this.wakeAtMs = at;
    this.wakeTimer = this.host.clock.setTimeout(() => {
      this.wakeTimer = undefined;
      this.wakeAtMs = Number.POSITIVE_INFINITY;
      this.drain();
    }, delay);
  }

  private clearWake(): void {
    this.host.clock.clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    this.wakeAtMs = Number.POSITIVE_INFINITY;
  }
}
