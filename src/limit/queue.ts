/**
 * Waiting requests: one FIFO per lane, drained in lane priority order, and the scan rules that decide which waiters
 * a drain may try (bounded skip-ahead for weighted requests, so a heavy head is never starved).
 */
import type { TimerHandle } from '../core/clock.js';
import { LANES, type Lane, type Permit } from './types.js';

export interface Waiter {
  readonly lane: Lane;
  readonly weight: number;
  readonly enqueuedAt: number;
  readonly deadlineAt: number;
  /** How many requests were admitted ahead of it while it did not fit. */
  skips: number;
  settled: boolean;
  /** Last known predicted admission time (monotonic) and what bound it, for the deadline error. */
  readyAt: number;
  readySource: 'local' | 'server';
  resolve(permit: Permit): void;
  reject(err: unknown): void;
  deadlineTimer?: TimerHandle;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class LaneQueues {
  private readonly lanes: Record<Lane, Waiter[]> = { critical: [], orders: [], default: [], background: [] };
  private readonly weights: Record<Lane, number> = { critical: 0, orders: 0, default: 0, background: 0 };
  private count = 0;

  get size(): number {
    return this.count;
  }

  length(lane: Lane): number {
    return this.lanes[lane].length;
  }

  /** Whether any request waits in `lane` or a higher lane (a newcomer must then queue behind it). */
  hasAhead(lane: Lane): boolean {
    for (const l of LANES) {
      if (this.lanes[l].length > 0) return true;
      if (l === lane) return false;
    }
    return false;
  }

  /** Total weight waiting in `lane` and the lanes above it. */
  weightAhead(lane: Lane): number {
    let sum = 0;
    for (const l of LANES) {
      sum += this.weights[l];
      if (l === lane) break;
    }
    return sum;
  }

  push(w: Waiter): void {
    this.lanes[w.lane].push(w);
    this.weights[w.lane] += w.weight;
    this.count++;
  }

  remove(w: Waiter): void {
    const q = this.lanes[w.lane];
    const i = q[0] === w ? 0 : q.indexOf(w);
    if (i < 0) return;
    q.splice(i, 1);
    this.weights[w.lane] -= w.weight;
    this.count--;
  }

  /** Every waiter in drain order (a copy: the queues may change while a drain awaits the store). */
  ordered(): Waiter[] {
    const out: Waiter[] = [];
    for (const l of LANES) for (const w of this.lanes[l]) out.push(w);
    return out;
  }
}

/**
 * One pass over the waiters. Admission is monotone in weight and lane (a heavier request, or one in a lane with a
 * smaller cap, never fits where a lighter or critical one failed), so after a failure of weight `f` only lighter
 * requests are tried: no store round trip per waiter. Waiters passed over accumulate skips; once one of them has
 * `maxSkips`, nothing behind it is admitted until it fits.
 */
export class Scan {
  /** Shortest wait of any attempt that failed (when the next pass is worth doing). */
  minWait = Number.POSITIVE_INFINITY;
  private readonly overtaken: Waiter[] = [];
  private failCritical = Number.POSITIVE_INFINITY;
  private failOther = Number.POSITIVE_INFINITY;
  private exhausted = false;

  constructor(private readonly maxSkips: number) {}

  /** `try` the store, `pass` (known not to fit now) or `stop` the pass. */
  consider(w: Waiter): 'try' | 'pass' | 'stop' {
    if (this.exhausted) return 'stop';
    const failedAt = w.lane === 'critical' ? this.failCritical : this.failOther;
    if (failedAt <= 1) return 'stop'; // weights are integers ≥ 1: nothing at or below this lane can fit
    if (w.weight < failedAt) return 'try';
    this.overtakenBy(w);
    return 'pass';
  }

  admitted(): void {
    for (const o of this.overtaken) {
      o.skips++;
      if (o.skips >= this.maxSkips) this.exhausted = true;
    }
  }

  /** Records a failed attempt; `gone` when the waiter was rejected (it no longer holds anyone back). */
  failed(w: Waiter, waitMs: number, gone: boolean): void {
    if (waitMs < this.minWait) this.minWait = waitMs;
    if (w.weight < this.failOther) this.failOther = w.weight;
    if (w.lane === 'critical' && w.weight < this.failCritical) this.failCritical = w.weight;
    if (!gone) this.overtakenBy(w);
  }

  private overtakenBy(w: Waiter): void {
    this.overtaken.push(w);
    if (w.skips >= this.maxSkips) this.exhausted = true;
  }
}
