/**
 * What the server told us: the latest X-RateLimit view, 429 blocks and the backoff for 429s without a hint.
 * The limiter adopts the stricter of its own log and this view.
 */

import type { RateLimitHeaders } from '../core/headers.js';
import type { Random } from '../core/random.js';
import { ServerClock } from './server-clock.js';
import type { ServerViewSnapshot } from './types.js';

/** Where an observed response sits in this limiter's admission order. */
export interface ObservedPermit {
  readonly admittedAt: number;
  /** Cumulative weight admitted by this limiter up to and including that permit. */
  readonly seq: number;
}

interface ServerView {
  limit?: number;
  remaining: number;
  /** Monotonic time when the server's count next changes. */
  resetAt: number;
  asOf: number;
  seq: number;
}

export interface FeedbackOutcome {
  sync?: { limit?: number; remaining?: number; resetInMs?: number };
  block?: { ms: number; source: 'retry-after' | 'reset' | 'backoff' };
  /** The view in force changed (the limiter re-checks waiters). */
  viewChanged: boolean;
}

const BACKOFF_BASE_MS = 1000;
const BACKOFF_CAP_MS = 60_000;

export class ServerFeedback {
  readonly serverClock = new ServerClock();
  private view: ServerView | undefined;
  private consecutive429 = 0;

  constructor(private readonly random: Random) {}

  /**
   * Interprets one response. `seqNow` is the cumulative weight admitted so far; without a permit the view is taken
   * as of now (every admission so far assumed counted by the server).
   */
  observe(
    status: number,
    h: RateLimitHeaders,
    now: number,
    wallNow: number,
    permit: ObservedPermit | undefined,
    seqNow: number,
    /** What this limiter's own log leaves in the server's window (limit − weight it counts now), if known. */
    localRemaining?: number,
    /** Length of the local window the server's headers are compared with (the longest). */
    localWindowMs = Number.POSITIVE_INFINITY,
  ): FeedbackOutcome {
    if (h.dateEpochMs !== undefined) this.serverClock.observe(h.dateEpochMs, now);
    const serverNow = this.serverClock.earliestServerNow(now, wallNow);
    const resetInMs = h.resetEpochS === undefined ? undefined : Math.max(0, h.resetEpochS * 1000 - serverNow);
    const outcome: FeedbackOutcome = { viewChanged: false };
    if (h.limit !== undefined || h.remaining !== undefined || resetInMs !== undefined) {
      outcome.sync = { limit: h.limit, remaining: h.remaining, resetInMs };
    }
    if (h.remaining !== undefined && resetInMs !== undefined && resetInMs > 0) {
      const candidate: ServerView = {
        limit: h.limit,
        remaining: h.remaining,
        resetAt: now + resetInMs,
        asOf: permit?.admittedAt ?? now,
        seq: permit?.seq ?? seqNow,
      };
      const current = this.view;
      // A newer view (later in admission order) replaces an older one; an expired one is replaced by anything.
      if (!current || now >= current.resetAt || candidate.seq >= current.seq) {
        // The view only matters when the server counts more than our own log does (other clients on the key, a
        // restart). Otherwise it adds nothing but Reset's whole-second rounding, which would idle the budget for
        // up to a second per window: our exact log governs then.
        // A reset further away than our window (plus Reset's rounding) means the server's window is longer than
        // ours: then its view says something our log cannot, even with equal counts.
        const informative =
          localRemaining === undefined || h.remaining < localRemaining || resetInMs > localWindowMs + 1000;
        this.view = informative ? candidate : undefined;
        outcome.viewChanged = informative || current !== undefined;
      }
    }
    if (status === 429) {
      this.consecutive429++;
      outcome.block = this.blockFor(h, resetInMs, serverNow);
    } else {
      this.consecutive429 = 0;
    }
    return outcome;
  }

  /** 0 when the server view allows `weight` more (keeping `reserve` back), else ms until the view resets. */
  /** Whether a server view may constrain admissions (cheap check for the fast path). */
  get hasView(): boolean {
    return this.view !== undefined;
  }

  viewWait(now: number, weight: number, reserve: number, seqNow: number): number {
    const v = this.view;
    if (!v) return 0;
    if (now >= v.resetAt) {
      this.view = undefined;
      return 0;
    }
    const left = v.remaining - (seqNow - v.seq) - reserve;
    return left >= weight ? 0 : v.resetAt - now;
  }

  snapshot(now: number, seqNow: number): ServerViewSnapshot | undefined {
    const v = this.view;
    if (!v || now >= v.resetAt) return undefined;
    return {
      limit: v.limit,
      remaining: v.remaining,
      effectiveRemaining: Math.max(0, v.remaining - (seqNow - v.seq)),
      resetInMs: v.resetAt - now,
      asOf: v.asOf,
    };
  }

  /** Retry-After, else Reset, else 1 s doubling per consecutive 429 (capped at 60 s, jittered up to +50 %). */
  private blockFor(
    h: RateLimitHeaders,
    resetInMs: number | undefined,
    serverNow: number,
  ): { ms: number; source: 'retry-after' | 'reset' | 'backoff' } {
    const ra = h.retryAfter;
    if (ra) {
      const ms = ra.kind === 'delay' ? ra.ms : ra.epochMs - serverNow;
      if (ms > 0) return { ms, source: 'retry-after' };
    }
    if (resetInMs !== undefined && resetInMs > 0) return { ms: resetInMs, source: 'reset' };
    const base = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(this.consecutive429 - 1, 16));
    return { ms: Math.min(BACKOFF_CAP_MS, base * (1 + 0.5 * this.random.next())), source: 'backoff' };
  }
}
