import type { RatePolicy, RateSpec } from './options.js';

/**
 * The simulator's server-side rate limits: its own implementation, deliberately sharing nothing with the client
 * limiter in src/limit, so a bug cannot hide on both sides. Times are the server's wall milliseconds (fractional).
 * Rejected requests do not consume budget.
 */
interface Window {
  /** Whether one more request fits at `now`. */
  fits(now: number): boolean;
  record(now: number): void;
  /** Requests left in the current window after what was recorded. */
  remaining(now: number): number;
  /** When the remaining count next changes (fixed: the window's end; sliding: the oldest entry's expiry). */
  resetAt(now: number): number;
  /** When one more request would fit. */
  nextFitAt(now: number): number;
}

class FixedWindow implements Window {
  private index = Number.NEGATIVE_INFINITY;
  private count = 0;
  constructor(
    private readonly limit: number,
    private readonly ms: number,
  ) {}
  private roll(now: number): void {
    const i = Math.floor(now / this.ms);
    if (i !== this.index) {
      this.index = i;
      this.count = 0;
    }
  }
  fits(now: number): boolean {
    this.roll(now);
    return this.count < this.limit;
  }
  record(now: number): void {
    this.roll(now);
    this.count++;
  }
  remaining(now: number): number {
    this.roll(now);
    return this.limit - this.count;
  }
  resetAt(now: number): number {
    return (Math.floor(now / this.ms) + 1) * this.ms;
  }
  nextFitAt(now: number): number {
    return this.fits(now) ? now : this.resetAt(now);
  }
}

/** Exact sliding log: a ring of admission times that grows on demand up to `limit` entries. */
class SlidingWindow implements Window {
  private ring = new Float64Array(16);
  private head = 0;
  private size = 0;
  constructor(
    private readonly limit: number,
    private readonly ms: number,
  ) {}
  private prune(now: number): void {
    const cutoff = now - this.ms;
    while (this.size > 0 && this.ring[this.head]! <= cutoff) {
      this.head = (this.head + 1) % this.ring.length;
      this.size--;
    }
  }
  fits(now: number): boolean {
    this.prune(now);
    return this.size < this.limit;
  }
  record(now: number): void {
    this.prune(now);
    if (this.size === this.ring.length) this.grow();
    this.ring[(this.head + this.size) % this.ring.length] = now;
    this.size++;
  }
  remaining(now: number): number {
    this.prune(now);
    return this.limit - this.size;
  }
  resetAt(now: number): number {
    this.prune(now);
    return this.size > 0 ? this.ring[this.head]! + this.ms : now + this.ms;
  }
  nextFitAt(now: number): number {
    this.prune(now);
    if (this.size < this.limit) return now;
    // The (size - limit + 1)-th oldest entry must expire; size never exceeds limit, so that is the oldest.
    return this.ring[this.head]! + this.ms;
  }
  private grow(): void {
    const next = new Float64Array(Math.min(this.limit, this.ring.length * 2));
    for (let i = 0; i < this.size; i++) next[i] = this.ring[(this.head + i) % this.ring.length]!;
    this.ring = next;
    this.head = 0;
  }
}

export interface RateDecision {
  allowed: boolean;
  /** X-RateLimit-Limit (the main window's limit). */
  limit: number;
  /** X-RateLimit-Remaining after this request (0 when rejected). */
  remaining: number;
  /** X-RateLimit-Reset: epoch seconds (rounded up) when the remaining count next changes. */
  resetEpochS: number;
  /** Milliseconds until a request would be admitted (0 when allowed). */
  retryAfterMs: number;
}

/** Main window plus an optional burst window for one (API key, host class). */
export class RateBucket {
  private readonly main: Window;
  private readonly burst: Window | undefined;
  constructor(
    private readonly spec: RateSpec,
    burst: RateSpec | undefined,
    policy: RatePolicy,
    timeScale: number,
  ) {
    const make = (s: RateSpec) =>
      policy === 'fixed-window'
        ? new FixedWindow(s.limit, s.windowMs * timeScale)
        : new SlidingWindow(s.limit, s.windowMs * timeScale);
    this.main = make(spec);
    this.burst = burst ? make(burst) : undefined;
  }

  take(now: number): RateDecision {
    const mainFits = this.main.fits(now);
    const burstFits = this.burst ? this.burst.fits(now) : true;
    if (mainFits && burstFits) {
      this.main.record(now);
      this.burst?.record(now);
      return {
        allowed: true,
        limit: this.spec.limit,
        remaining: this.main.remaining(now),
        resetEpochS: Math.ceil(this.main.resetAt(now) / 1000),
        retryAfterMs: 0,
      };
    }
    const at = Math.max(this.main.nextFitAt(now), this.burst ? this.burst.nextFitAt(now) : now);
    return {
      allowed: false,
      limit: this.spec.limit,
      remaining: 0,
      resetEpochS: Math.ceil(at / 1000),
      retryAfterMs: Math.max(0, at - now),
    };
  }
}
