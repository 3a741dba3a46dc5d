/**
 * The account-wide rate limiter: lanes and queues in front of a store (memory or Redis) that keeps the exact sliding
 * log, plus server feedback (X-RateLimit-* views, 429 blocks). See docs/rate-limiting.md.
 */
import { abortReason, type Clock } from '../core/clock.js';
import { AbortedError, ConfigError } from '../core/errors.js';
import { type Disposable, Emitter, type Event } from '../core/events.js';
import { parseRateLimitHeaders } from '../core/headers.js';
import { randomToken } from '../core/random.js';
import { Dispatcher, type DispatchHost, type Verdict } from './dispatcher.js';
import { QueueFullError, RateLimitedError } from './errors.js';
import { LimitTable } from './limit-table.js';
import {
  type AcquireRequest,
  parseAcquire,
  type RateLimiterOptions,
  type ResolvedOptions,
  resolveOptions,
} from './options.js';
import { LimiterPermit, type PermitOwner } from './permit.js';
import type { Waiter } from './queue.js';
import { ServerFeedback } from './server-feedback.js';
import type { AdmitResult, MaybePromise, Prediction, StoreSession } from './store.js';
import {
  type AcquireOptions,
  type HeaderSource,
  LANES,
  type Lane,
  type LimiterEvent,
  type LimiterSnapshot,
  type Permit,
} from './types.js';

function isPromise<T>(v: MaybePromise<T>): v is Promise<T> {
  return typeof (v as Promise<T> | undefined)?.then === 'function';
}

function combine(blockedMs: number, viewMs: number, store: Prediction): Verdict {
  const server = Math.max(blockedMs, viewMs, store.blockedMs);
  const waitMs = Math.max(server, store.waitMs);
  return { waitMs, source: server > 0 && server >= store.waitMs ? 'server' : 'local' };
}

export class RateLimiter implements PermitOwner {
  readonly onEvent: Event<LimiterEvent>;
  private readonly events = new Emitter<LimiterEvent>();
  private readonly opts: ResolvedOptions;
  private readonly clock: Clock;
  private readonly limits: LimitTable;
  private readonly session: StoreSession;
  private readonly feedback: ServerFeedback;
  private readonly dispatcher: Dispatcher;
  private readonly subscriptions: Disposable[];
  private readonly idPrefix = randomToken(6);
  private idSeq = 0;
  /** Cumulative weight admitted: orders server views ("weight admitted after the observed request"). */
  private admittedTotal = 0;
  private holding = 0;
  private blockedUntil = Number.NEGATIVE_INFINITY;
  private closed = false;
  /** Validated requests for `{ lane }` alone (weight 1 always fits: every cap is at least 1). */
  private readonly laneRequests: Partial<Record<Lane, AcquireRequest>> = {};

  constructor(options: RateLimiterOptions) {
    this.opts = resolveOptions(options);
    this.clock = this.opts.clock;
    this.limits = new LimitTable(this.opts.windows, this.opts.criticalReserve);
    this.feedback = new ServerFeedback(this.opts.random);
    this.session = this.opts.store.open({
      key: this.opts.key,
      name: this.opts.name,
      windowsMs: this.limits.windowsMs,
      maxHoldMs: this.opts.maxHoldMs,
      clock: this.clock,
      random: this.opts.random,
    });
    const host: DispatchHost = {
      clock: this.clock,
      random: this.opts.random,
      synchronous: this.session.synchronous,
      maxSkips: this.opts.maxSkips,
      jitterMs: this.opts.jitterMs,
      fallbackWakeMs: Math.min(...this.limits.windowsMs),
      attemptSync: (w, now) => this.attemptSync(w.lane, w.weight, w.enqueuedAt, now),
      attemptAsync: (w) => this.attemptAsync(w),
      blockedUntil: () => this.blockedUntil,
      emit: (e) => this.emit(e),
    };
    this.dispatcher = new Dispatcher(host);
    for (const lane of LANES) this.laneRequests[lane] = parseAcquire({ lane }, this.limits, this.opts.deadlineMs);
    this.onEvent = this.events.event;
    this.subscriptions = [
      this.session.onStatus((s) => this.emit({ type: 'degraded', degraded: s.degraded, reason: s.reason })),
      this.session.onChange(() => this.dispatcher.drain()),
    ];
  }

  /** Waits for a permit. Rejects at once when the predicted wait exceeds the deadline (RateLimitedError). */
  acquire(options: AcquireOptions = {}): Promise<Permit> {
    let req: AcquireRequest;
    try {
      req = this.request(options);
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.closed) return Promise.reject(new AbortedError('the rate limiter is closed'));
    if (req.signal?.aborted) return Promise.reject(abortReason(req.signal));
    const sync = this.session.synchronous;
    const queues = this.dispatcher.queues;
    const ahead = queues.size > 0 && queues.hasAhead(req.lane);
    if (sync && !ahead) {
      const fast = this.fastAdmit(req.lane, req.weight);
      if (fast) return Promise.resolve(fast);
    }
    const start = this.clock.now();
    if (sync && !ahead) {
      const r = this.attemptSync(req.lane, req.weight, start, start);
      if (r instanceof LimiterPermit) return Promise.resolve(r);
    }
    if (queues.length(req.lane) >= this.opts.maxQueue) {
      this.emit({ type: 'rejected', lane: req.lane, reason: 'queue-full' });
      return Promise.reject(new QueueFullError(req.lane, this.opts.maxQueue));
    }
    let readyAt = start;
    let readySource: Verdict['source'] = 'local';
    if (sync) {
      const p = this.predictSync(req.lane, req.weight, start);
      if (p.waitMs > req.deadlineMs) return this.failFast(req.lane, p);
      readyAt = start + p.waitMs;
      readySource = p.source;
    }
    return new Promise<Permit>((resolve, reject) => {
      const w: Waiter = {
        lane: req.lane,
        weight: req.weight,
        enqueuedAt: start,
        deadlineAt: start + req.deadlineMs,
        skips: 0,
        settled: false,
        readyAt,
        readySource,
        resolve,
        reject,
      };
      this.dispatcher.enqueue(w, req.deadlineMs, req.signal);
      if (sync || !ahead) this.dispatcher.drain();
      else void this.predictAsync(w);
    });
  }

  /** Admits at once or returns undefined (never queues). Needs a synchronous store (MemoryStore). */
  tryAcquire(options: AcquireOptions = {}): Permit | undefined {
    const req = this.request(options);
    if (!this.session.synchronous) {
      throw new ConfigError(
        'store',
        `tryAcquire needs a synchronous store such as MemoryStore, not ${this.session.kind}`,
      );
    }
    if (this.closed) throw new AbortedError('the rate limiter is closed');
    const queues = this.dispatcher.queues;
    if (queues.size > 0 && queues.hasAhead(req.lane)) return undefined;
    const fast = this.fastAdmit(req.lane, req.weight);
    if (fast) return fast;
    const now = this.clock.now();
    const r = this.attemptSync(req.lane, req.weight, now, now);
    return r instanceof LimiterPermit ? r : undefined;
  }

  /**
   * The uncontended path: admit against a recent clock reading when nothing blocks and the budget fits. An early
   * time only makes the check stricter; on any doubt it returns undefined and the caller takes the exact path.
   */
  private fastAdmit(lane: Lane, weight: number): LimiterPermit | undefined {
    const recent = this.clock.recent;
    if (!recent || !this.session.admitHold) return undefined;
    const t = recent.call(this.clock);
    if (this.blockedUntil > t || this.feedback.hasView) return undefined;
    const hold = this.session.admitHold(t, weight, this.limits.caps(lane));
    return hold >= 0 ? this.grant(undefined, hold, lane, weight, t, t) : undefined;
  }

  /** `fn` behind a permit (released when it settles). Server feedback needs `observe`, which wrap cannot call. */
  wrap<A extends unknown[], R>(fn: (...args: A) => Promise<R>, options?: AcquireOptions): (...args: A) => Promise<R> {
    return async (...args: A) => {
      const permit = await this.acquire(options);
      try {
        return await fn(...args);
      } finally {
        permit.release();
      }
    };
  }

  /** Feeds a response back: X-RateLimit-* views, learned limits, and on 429 a block of every lane in every process. */
  observe(status: number, headers: HeaderSource, permit?: Permit): void {
    if (this.closed) return;
    const now = this.clock.now();
    const h = parseRateLimitHeaders(headers);
    const own = permit instanceof LimiterPermit && permit.owner === this ? permit : undefined;
    let localRemaining: number | undefined;
    if (h.remaining !== undefined) {
      const main = this.limits.main;
      const limit = h.limit ?? this.limits.windows[main]!.limit;
      localRemaining = limit - (this.session.usage().used[main] ?? 0);
    }
    const main = this.limits.windows[this.limits.main]!;
    const out = this.feedback.observe(
      status,
      h,
      now,
      this.clock.wallNow(),
      own,
      this.admittedTotal,
      localRemaining,
      main.windowMs,
    );
    if (out.sync) {
      const e: LimiterEvent = { type: 'server-sync' };
      if (out.sync.limit !== undefined) e.limit = out.sync.limit;
      if (out.sync.remaining !== undefined) e.remaining = out.sync.remaining;
      if (out.sync.resetInMs !== undefined) e.resetInMs = out.sync.resetInMs;
      this.emit(e);
    }
    const learned = h.limit !== undefined && this.learnLimit(h.limit);
    if (out.block) this.applyBlock(out.block.ms, out.block.source, now);
    // On a shared store every drain costs a round trip; only a larger limit can let waiters in earlier there.
    if (learned || (out.viewChanged && this.session.synchronous)) this.dispatcher.drain();
  }

  snapshot(): LimiterSnapshot {
    const now = this.clock.now();
    const usage = this.session.usage();
    const status = this.session.status();
    const blockedForMs = Math.max(0, this.blockedUntil - now);
    let nextAdmissionInMs: number;
    if (this.session.synchronous) {
      nextAdmissionInMs = this.predictSync('default', 1, now).waitMs;
    } else {
      const queues = this.dispatcher.queues;
      const demand = queues.weightAhead('default') + 1;
      const view = this.feedback.viewWait(now, demand, this.limits.serverReserve('default'), this.admittedTotal);
      const capsOther = this.limits.caps('default');
      const full = queues.size > 0 || usage.used.some((u, j) => u + 1 > capsOther[j]!);
      const wakeAt = this.dispatcher.wakeAt;
      const pending = full && Number.isFinite(wakeAt) ? Math.max(0, wakeAt - now) : 0;
      nextAdmissionInMs = Math.max(blockedForMs, view, pending);
    }
    const snap: LimiterSnapshot = {
      name: this.opts.name,
      store: this.session.kind,
      degraded: status.degraded,
      windows: this.limits.snapshot(usage.used, usage.capShare ?? 1),
      inFlight: this.holding,
      queued: { critical: 0, orders: 0, default: 0, background: 0 },
      nextAdmissionInMs,
      blockedForMs,
    };
    for (const l of LANES) snap.queued[l] = this.dispatcher.queues.length(l);
    if (status.reason !== undefined) snap.degradedReason = status.reason;
    const server = this.feedback.snapshot(now, this.admittedTotal);
    if (server) snap.server = server;
    const offset = this.feedback.serverClock.offsetFromWall(now, this.clock.wallNow());
    if (offset) snap.serverOffsetMs = offset;
    return snap;
  }

  /** Rejects every waiter with AbortedError, clears timers and closes the store session. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.dispatcher.close(() => new AbortedError('the rate limiter was closed'));
    for (const s of this.subscriptions) s.dispose();
    await this.session.close();
    this.events.dispose();
  }

  /** @internal called by LimiterPermit.release */
  releasePermit(permit: LimiterPermit, sent: boolean): void {
    this.holding -= permit.weight;
    if (permit.hold >= 0 && this.session.releaseHold) {
      this.session.releaseHold(permit.hold, sent);
      if (!sent) this.dispatcher.drain();
      return;
    }
    const done = this.session.release(permit.id, permit.weight, sent);
    if (sent) return;
    // A refund frees budget now: let waiters re-check.
    if (isPromise(done)) done.then(() => this.dispatcher.drain());
    else this.dispatcher.drain();
  }

  // ---- admission ------------------------------------------------------------------------------------------------

  private request(options: AcquireOptions): AcquireRequest {
    // The common call (a lane at most, weight 1, default deadline) needs no validation beyond the lane name.
    if (options.weight === undefined && options.deadlineMs === undefined && options.signal === undefined) {
      const cached = this.laneRequests[options.lane ?? 'default'];
      if (cached) return cached;
    }
    return parseAcquire(options, this.limits, this.opts.deadlineMs);
  }

  private nextId(): string {
    return `${this.idPrefix}.${(++this.idSeq).toString(36)}`;
  }

  /** @internal */
  holdId(hold: number): string {
    return `${this.idPrefix}.h${hold.toString(36)}`;
  }

  /** Block and server view: the constraints this limiter checks itself before asking the store. */
  private localVerdict(lane: Lane, weight: number, now: number): Verdict | undefined {
    if (this.blockedUntil > now) return { waitMs: this.blockedUntil - now, source: 'server' };
    const view = this.feedback.viewWait(now, weight, this.limits.serverReserve(lane), this.admittedTotal);
    return view > 0 ? { waitMs: view, source: 'server' } : undefined;
  }

  private attemptSync(lane: Lane, weight: number, start: number, now: number): LimiterPermit | Verdict {
    const local = this.localVerdict(lane, weight, now);
    if (local) return local;
    const caps = this.limits.caps(lane);
    if (this.session.admitHold) {
      // Allocation-free path: a hold number instead of a record id; the wait is computed only when it does not fit.
      const hold = this.session.admitHold(now, weight, caps);
      if (hold >= 0) return this.grant(undefined, hold, lane, weight, start, now);
    }
    const id = this.nextId();
    const res = this.session.admit({ id, weight, caps }) as AdmitResult;
    return this.afterAdmit(res, id, lane, weight, start, now);
  }

  private afterAdmit(
    res: AdmitResult,
    id: string,
    lane: Lane,
    weight: number,
    start: number,
    now: number,
  ): LimiterPermit | Verdict {
    if (!res.admitted) {
      if (res.blockedMs > 0 && now + res.blockedMs > this.blockedUntil) this.blockedUntil = now + res.blockedMs;
      return { waitMs: res.waitMs, source: res.blockedMs > 0 && res.blockedMs >= res.waitMs ? 'server' : 'local' };
    }
    return this.grant(id, -1, lane, weight, start, now);
  }

  private grant(
    id: string | undefined,
    hold: number,
    lane: Lane,
    weight: number,
    start: number,
    now: number,
  ): LimiterPermit {
    this.admittedTotal += weight;
    this.holding += weight;
    const permit = new LimiterPermit(this, id, hold, lane, weight, now, now - start, this.admittedTotal);
    if (this.events.hasListeners) this.events.fire({ type: 'admitted', lane, weight, waitedMs: now - start });
    return permit;
  }

  /** One attempt through a shared store (a round trip); `gone` when the waiter settled meanwhile. */
  private async attemptAsync(w: Waiter): Promise<LimiterPermit | Verdict | 'gone'> {
    const local = this.localVerdict(w.lane, w.weight, this.clock.now());
    if (local) return local;
    const id = this.nextId();
    let res: AdmitResult;
    try {
      res = await this.session.admit({ id, weight: w.weight, caps: this.limits.caps(w.lane) });
    } catch (err) {
      if (!w.settled) this.dispatcher.reject(w, err, 'store-unavailable');
      return 'gone';
    }
    if (w.settled || this.closed) {
      // Aborted while the store admitted it: give the budget back.
      if (res.admitted) void this.session.release(id, w.weight, false);
      return 'gone';
    }
    return this.afterAdmit(res, id, w.lane, w.weight, w.enqueuedAt, this.clock.now());
  }

  /** Predicted wait of a new request behind everything queued in its lane and above. */
  private predictSync(lane: Lane, weight: number, now: number): Verdict {
    const demand = this.dispatcher.queues.weightAhead(lane) + weight;
    const view = this.feedback.viewWait(now, demand, this.limits.serverReserve(lane), this.admittedTotal);
    const store = this.session.predict(demand, this.limits.caps(lane)) as Prediction;
    return combine(Math.max(0, this.blockedUntil - now), view, store);
  }

  /** Fail-fast for a request queued behind others on a shared store (one read-only round trip). */
  private async predictAsync(w: Waiter): Promise<void> {
    try {
      const demand = this.dispatcher.queues.weightAhead(w.lane); // includes w itself
      const store = await this.session.predict(demand, this.limits.caps(w.lane));
      if (w.settled) return;
      const now = this.clock.now();
      const view = this.feedback.viewWait(now, demand, this.limits.serverReserve(w.lane), this.admittedTotal);
      const v = combine(Math.max(0, this.blockedUntil - now), view, store);
      w.readyAt = now + v.waitMs;
      w.readySource = v.source;
      if (w.readyAt > w.deadlineAt) {
        this.dispatcher.reject(w, new RateLimitedError(v.waitMs, v.source, w.lane), 'deadline', v.waitMs);
      }
    } catch (err) {
      if (!w.settled) this.dispatcher.reject(w, err, 'store-unavailable');
    }
  }

  private failFast(lane: Lane, v: Verdict): Promise<never> {
    this.emit({ type: 'rejected', lane, reason: 'deadline', retryAfterMs: v.waitMs });
    return Promise.reject(new RateLimitedError(v.waitMs, v.source, lane));
  }

  // ---- server feedback ------------------------------------------------------------------------------------------

  private learnLimit(limit: number): boolean {
    const current = this.limits.windows[this.limits.main]!.limit;
    if (limit === current || (limit > current && !this.opts.learnLimit)) return false;
    const change = this.limits.setMainLimit(limit);
    if (!change) return false;
    this.emit({ type: 'limit-learned', ...change });
    // Waiters that can never fit under the adopted (smaller) limit.
    for (const w of this.dispatcher.queues.ordered()) {
      const max = this.limits.maxWeight(w.lane);
      if (w.weight > max) {
        const err = new ConfigError(
          'acquire.weight',
          `${w.weight} exceeds the server's limit for the ${w.lane} lane (${max})`,
        );
        this.dispatcher.reject(w, err, undefined);
      }
    }
    return true;
  }

  private applyBlock(ms: number, source: 'retry-after' | 'reset' | 'backoff', now: number): void {
    if (now + ms > this.blockedUntil) this.blockedUntil = now + ms;
    this.emit({ type: 'server-block', blockedForMs: ms, source });
    void this.session.block(ms);
    for (const w of this.dispatcher.queues.ordered()) {
      if (this.blockedUntil > w.deadlineAt) {
        const retryAfterMs = this.blockedUntil - now;
        this.dispatcher.reject(w, new RateLimitedError(retryAfterMs, 'server', w.lane), 'deadline', retryAfterMs);
      }
    }
    this.dispatcher.drain();
  }

  private emit(e: LimiterEvent): void {
    if (this.events.hasListeners) this.events.fire(e);
  }
}
