/**
 * A circuit breaker for one endpoint group in one process. Closed: count every attempt; trip on N consecutive
 * failures or on a failure ratio over a sampled window. Open: reject at once with the time left. Half-open: admit a
 * few probes, reject everyone else (no queue), close only when all probes succeed, reopen (with a longer break) on any
 * failure or on a probe that does not report within `probeTimeoutMs`.
 */
import { z } from 'zod';
import { type Clock, systemClock, type TimerHandle } from '../core/clock.js';
import { parseConfig } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import { Emitter, type Event } from '../core/events.js';
import type { BreakerVerdict } from './classify.js';
import { CircuitOpenError } from './errors.js';
import { SamplingWindow, type WindowCounts } from './sampling-window.js';

export interface CircuitBreakerOptions {
  /** Name in errors, events and metrics (the endpoint group). @default 'default' */
  name?: string;
  /** Trip after this many failures in a row. @default 5 (the seed) */
  consecutiveFailures?: number;
  /** Trip when failures / samples reaches this ratio in the window... @default 0.5 */
  failureRatio?: number;
  /** ...provided the window holds at least this many samples. @default 20 */
  minThroughput?: number;
  /** Length of the sampling window (10 time buckets). @default 60_000 */
  samplingWindowMs?: number;
  /** First break; doubles on every trip in a row. @default 60_000 (the seed) */
  breakDurationMs?: number;
  /** Longest break. @default 300_000 */
  maxBreakDurationMs?: number;
  /** Probes admitted when half-open; all must succeed to close. @default 2 */
  halfOpenProbes?: number;
  /** A probe that has not reported by then counts as failed. @default 10_000 */
  probeTimeoutMs?: number;
  /** @default systemClock */
  clock?: Clock;
}

export type BreakerStateName = 'closed' | 'open' | 'half-open';

/** Snapshot returned by {@link CircuitBreaker.state}. */
export type BreakerState =
  | { state: 'closed'; consecutiveFailures: number; window: WindowCounts }
  | { state: 'open'; openedAt: number; reopensAt: number; trips: number }
  | { state: 'half-open'; probesInFlight: number; probeSuccesses: number; trips: number };

export type TransitionReason =
  | 'consecutive-failures'
  | 'failure-ratio'
  | 'break-elapsed'
  | 'probe-failed'
  | 'probe-timeout'
  | 'probes-succeeded'
  | 'reset';

export interface BreakerStateChange {
  breaker: string;
  from: BreakerStateName;
  to: BreakerStateName;
  reason: TransitionReason;
  /** Set when `to` is `open`: the break length. */
  retryAfterMs?: number;
}

/** Permission for one attempt. Report exactly once; later reports are ignored. */
export interface BreakerTicket {
  /** True when this attempt is a half-open probe. */
  readonly probe: boolean;
  success(): void;
  failure(): void;
  /** Not a signal about the server (429, other 4xx, abort): releases a probe slot, counts nothing. */
  ignore(): void;
  report(verdict: BreakerVerdict): void;
}

interface Probe {
  deadline: number;
  timer: TimerHandle | undefined;
}

type Inner =
  | { state: 'closed'; consecutiveFailures: number; window: SamplingWindow }
  | { state: 'open'; openedAt: number; reopensAt: number; trips: number; timer: TimerHandle }
  | { state: 'half-open'; probes: Set<Probe>; probeSuccesses: number; trips: number };

const schema = z.object({
  name: z.string().min(1).max(100).default('default'),
  consecutiveFailures: z.number().int().min(1).max(1_000_000).default(5),
  failureRatio: z.number().gt(0).max(1).default(0.5),
  minThroughput: z.number().int().min(1).max(1_000_000).default(20),
  samplingWindowMs: z.number().positive().max(86_400_000).default(60_000),
  breakDurationMs: z.number().positive().max(86_400_000).default(60_000),
  maxBreakDurationMs: z.number().positive().max(86_400_000).default(300_000),
  halfOpenProbes: z.number().int().min(1).max(1_000).default(2),
  probeTimeoutMs: z.number().positive().max(86_400_000).default(10_000),
  clock: z.custom<Clock>((v) => typeof (v as Clock | null)?.now === 'function').optional(),
});

export type ResolvedBreakerOptions = z.output<typeof schema>;

export class CircuitBreaker {
  readonly name: string;
  readonly options: Readonly<ResolvedBreakerOptions>;
  private readonly clock: Clock;
  private inner: Inner;
  /** Bumped on every transition; tickets from an earlier state are stale and ignored. */
  private generation = 0;
  private readonly emitter = new Emitter<BreakerStateChange>();
  /** Fired on every transition. */
  readonly onStateChange: Event<BreakerStateChange> = this.emitter.event;

  constructor(options: CircuitBreakerOptions = {}) {
    this.options = parseConfig(schema, options, 'breaker');
    if (this.options.maxBreakDurationMs < this.options.breakDurationMs) {
      throw new ConfigError('breaker.maxBreakDurationMs', 'must be at least breakDurationMs');
    }
    this.name = this.options.name;
    this.clock = this.options.clock ?? systemClock;
    this.inner = this.closedState();
  }

  /** Admits one attempt or throws CircuitOpenError (open, or every half-open probe slot taken). */
  acquire(): BreakerTicket {
    this.refresh();
    const s = this.inner;
    const now = this.clock.now();
    if (s.state === 'open') throw new CircuitOpenError(this.name, Math.max(0, s.reopensAt - now), 'open');
    const gen = this.generation;
    if (s.state === 'closed') return this.ticket(false, (v) => this.onClosedResult(gen, v));
    if (s.probes.size + s.probeSuccesses >= this.options.halfOpenProbes) {
      let next = Number.POSITIVE_INFINITY;
      for (const p of s.probes) next = Math.min(next, p.deadline);
      throw new CircuitOpenError(this.name, Number.isFinite(next) ? Math.max(0, next - now) : 0, 'half-open');
    }
    const timeoutMs = this.options.probeTimeoutMs;
    const probe: Probe = { deadline: now + timeoutMs, timer: undefined };
    // A probe that never reports would otherwise hold its slot, and the breaker, forever.
    probe.timer = this.clock.setTimeout(() => this.onProbeResult(gen, probe, 'failure', 'probe-timeout'), timeoutMs);
    s.probes.add(probe);
    return this.ticket(true, (v) => this.onProbeResult(gen, probe, v, 'probe-failed'));
  }

  /** Current state (an open breaker whose break has elapsed reports half-open). */
  state(): BreakerState {
    this.refresh();
    const s = this.inner;
    switch (s.state) {
      case 'closed':
        return {
          state: 'closed',
          consecutiveFailures: s.consecutiveFailures,
          window: s.window.counts(this.clock.now()),
        };
      case 'open':
        return { state: 'open', openedAt: s.openedAt, reopensAt: s.reopensAt, trips: s.trips };
      case 'half-open':
        return { state: 'half-open', probesInFlight: s.probes.size, probeSuccesses: s.probeSuccesses, trips: s.trips };
    }
  }

  /** Forces the breaker closed and forgets past trips (operator action). */
  reset(): void {
    if (this.inner.state === 'closed') {
      this.inner.consecutiveFailures = 0;
      this.inner.window.reset();
      return;
    }
    this.transition(this.closedState(), 'reset');
  }

  /** Clears timers and listeners. */
  dispose(): void {
    this.clearTimers(this.inner);
    this.emitter.dispose();
  }

  private ticket(probe: boolean, onReport: (v: BreakerVerdict) => void): BreakerTicket {
    let done = false;
    const report = (v: BreakerVerdict) => {
      if (done) return;
      done = true;
      onReport(v);
    };
    return {
      probe,
      success: () => report('success'),
      failure: () => report('failure'),
      ignore: () => report('ignore'),
      report,
    };
  }

  private onClosedResult(gen: number, verdict: BreakerVerdict): void {
    const s = this.inner;
    if (gen !== this.generation || s.state !== 'closed' || verdict === 'ignore') return;
    const now = this.clock.now();
    s.window.record(now, verdict === 'failure');
    if (verdict === 'success') {
      s.consecutiveFailures = 0;
      return;
    }
    s.consecutiveFailures++;
    if (s.consecutiveFailures >= this.options.consecutiveFailures) {
      this.open(1, 'consecutive-failures');
      return;
    }
    const { successes, failures } = s.window.counts(now);
    const total = successes + failures;
    if (total >= this.options.minThroughput && failures / total >= this.options.failureRatio) {
      this.open(1, 'failure-ratio');
    }
  }

  private onProbeResult(gen: number, probe: Probe, verdict: BreakerVerdict, why: TransitionReason): void {
    const s = this.inner;
    if (gen !== this.generation || s.state !== 'half-open' || !s.probes.delete(probe)) return;
    this.clock.clearTimeout(probe.timer);
    if (verdict === 'failure') {
      this.open(s.trips + 1, why);
      return;
    }
    if (verdict === 'success') {
      s.probeSuccesses++;
      if (s.probeSuccesses >= this.options.halfOpenProbes) this.transition(this.closedState(), 'probes-succeeded');
    }
  }

  private open(trips: number, reason: TransitionReason): void {
    const o = this.options;
    const breakMs = Math.min(o.maxBreakDurationMs, o.breakDurationMs * 2 ** (trips - 1));
    const now = this.clock.now();
    const timer = this.clock.setTimeout(() => this.refresh(), breakMs);
    this.transition({ state: 'open', openedAt: now, reopensAt: now + breakMs, trips, timer }, reason, breakMs);
  }

  /** Moves an open breaker whose break has elapsed to half-open (by timer, or lazily when observed). */
  private refresh(): void {
    const s = this.inner;
    if (s.state === 'open' && this.clock.now() >= s.reopensAt) {
      this.transition({ state: 'half-open', probes: new Set(), probeSuccesses: 0, trips: s.trips }, 'break-elapsed');
    }
  }

  private transition(next: Inner, reason: TransitionReason, retryAfterMs?: number): void {
    const from = this.inner.state;
    this.clearTimers(this.inner);
    this.inner = next;
    this.generation++;
    const change: BreakerStateChange = { breaker: this.name, from, to: next.state, reason };
    if (retryAfterMs !== undefined) change.retryAfterMs = retryAfterMs;
    this.emitter.fire(change);
  }

  private clearTimers(s: Inner): void {
    if (s.state === 'open') this.clock.clearTimeout(s.timer);
    else if (s.state === 'half-open') for (const p of s.probes) this.clock.clearTimeout(p.timer);
  }

  private closedState(): Inner {
    return { state: 'closed', consecutiveFailures: 0, window: new SamplingWindow(this.options.samplingWindowMs) };
  }
}
