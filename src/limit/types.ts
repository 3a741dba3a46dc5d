/**
 * Public types of the account-wide rate limiter: lanes, windows, permits, events and snapshots.
 */

/** Priority lanes, highest first. `critical` alone may spend the reserved share of the budget. */
export type Lane = 'critical' | 'orders' | 'default' | 'background';

/** Every lane in drain order (highest priority first). */
export const LANES: readonly Lane[] = ['critical', 'orders', 'default', 'background'];

/** One window constraint: at most `limit` weight on any rolling interval of `windowMs`. */
export interface WindowLimit {
  limit: number;
  windowMs: number;
}

export interface AcquireOptions {
  /** Which lane the request waits in. @default 'default' */
  lane?: Lane;
  /** Budget units the request costs (a positive integer). @default 1 */
  weight?: number;
  /** Cancels the wait; the acquire rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Longest acceptable wait in ms. A request whose predicted wait is longer is rejected at once with
   * RateLimitedError. @default the lane's deadline (critical 30 s, orders 10 s, default 60 s, background 300 s)
   */
  deadlineMs?: number;
}

/** The right to send one request. Always release it, also when the request failed. */
export interface Permit {
  readonly id: string;
  readonly lane: Lane;
  readonly weight: number;
  /** `clock.now()` at admission. */
  readonly admittedAt: number;
  /** How long the acquire waited, in ms. */
  readonly waitedMs: number;
  /**
   * Ends the hold: the request then counts in each window until `release time + windowMs`.
   * `{ sent: false }` refunds it (only when the request surely never left the process). Idempotent.
   */
  release(outcome?: { sent?: boolean }): void;
}

/** Response headers as fetch/undici `Headers` or a plain (node:http style) record. */
export type { HeaderSource } from '../core/headers.js';

/** Why an acquire was rejected. */
export type RejectReason = 'deadline' | 'queue-full' | 'aborted' | 'store-unavailable';

/** What the limiter reports through `onEvent`. */
export type LimiterEvent =
  | { type: 'admitted'; lane: Lane; weight: number; waitedMs: number }
  | { type: 'queued'; lane: Lane; queueLength: number }
  | { type: 'rejected'; lane: Lane; reason: RejectReason; retryAfterMs?: number }
  | { type: 'server-block'; blockedForMs: number; source: 'retry-after' | 'reset' | 'backoff' }
  | { type: 'server-sync'; limit?: number; remaining?: number; resetInMs?: number }
  | { type: 'limit-learned'; windowMs: number; from: number; to: number }
  | { type: 'degraded'; degraded: boolean; reason?: string };

/** One window as seen by {@link LimiterSnapshot}. */
export interface WindowSnapshot {
  limit: number;
  windowMs: number;
  /** Weight only the critical lane may use. */
  reserve: number;
  /** Weight counted in the window now (in flight + released within the window), as the store last saw it. */
  used: number;
  /** What a non-critical lane may still admit now. */
  remaining: number;
  /** What the critical lane may still admit now. */
  remainingCritical: number;
}

/** The server's last word (X-RateLimit-* headers), when one is in force. */
export interface ServerViewSnapshot {
  limit?: number;
  remaining: number;
  /** `remaining` minus the weight this limiter admitted after the observed request. */
  effectiveRemaining: number;
  resetInMs: number;
  /** `admittedAt` of the permit whose response carried the view. */
  asOf: number;
}

export interface LimiterSnapshot {
  /** Budget name (`trading`, `data`, ...). */
  name: string;
  /** Store kind: `memory` or `redis`. */
  store: string;
  /** True while a shared store is unreachable and a local fallback (or fail-closed) is in force. */
  degraded: boolean;
  degradedReason?: string;
  windows: WindowSnapshot[];
  /** Weight of this limiter's permits not yet released. */
  inFlight: number;
  queued: Record<Lane, number>;
  /** Predicted wait of a new default-lane request of weight 1 (behind the queue). */
  nextAdmissionInMs: number;
  server?: ServerViewSnapshot;
  /** Time left on a 429 block (all lanes). */
  blockedForMs: number;
  /** Estimated server clock minus local wall clock, as an interval (from `Date` headers). */
  serverOffsetMs?: { min: number; max: number };
}
