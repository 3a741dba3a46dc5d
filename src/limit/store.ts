/**
 * The storage behind a limiter: where admissions are recorded and checked, atomically. A store may be shared by
 * several limiters (processes) of one account; each limiter opens a session bound to its key, budget name and windows.
 * The RateLimiter owns lanes, queues and server feedback; the store only answers "does this weight fit under these
 * caps now, and if not, when".
 */
import type { Clock } from '../core/clock.js';
import type { Event } from '../core/events.js';
import type { Random } from '../core/random.js';

export type MaybePromise<T> = T | Promise<T>;

/** What a limiter binds a session to. */
export interface StoreScope {
  /** Store namespace (for example a hash of the account id). Never an API secret. */
  readonly key: string;
  /** Budget name (`trading`, `data`, ...). */
  readonly name: string;
  /** Window lengths, in the order every `caps` array follows. */
  readonly windowsMs: readonly number[];
  /** A hold not released after this long is released automatically. */
  readonly maxHoldMs: number;
  readonly clock: Clock;
  readonly random: Random;
}

export interface AdmitRequest {
  /** Unique record id (unique across every process sharing the store). */
  readonly id: string;
  readonly weight: number;
  /** Per window, the most weight that may be counted after admitting (the lane's cap). */
  readonly caps: readonly number[];
}

/** Outcome of an admission attempt or prediction. */
export type AdmitResult =
  | { readonly admitted: true }
  | {
      readonly admitted: false;
      /** Earliest time (ms from now) the request could fit, including any store-wide block. */
      readonly waitMs: number;
      /** Time left on a store-wide (server 429) block; 0 if none. */
      readonly blockedMs: number;
    };

export interface Prediction {
  readonly waitMs: number;
  readonly blockedMs: number;
}

/** Counts as the store last saw them (a shared store answers from its last round trip). */
export interface StoreUsage {
  readonly used: readonly number[];
  /** Whether `used` is current (true) or from the last round trip to a remote store (false). */
  readonly exact: boolean;
  /** Share of each cap that applies now (a degraded shared store admits only `fallbackShare`). @default 1 */
  readonly capShare?: number;
}

export interface StoreStatus {
  readonly degraded: boolean;
  readonly reason?: string;
}

export interface StoreSession {
  readonly kind: string;
  /** True when every method answers synchronously (never a Promise): enables `tryAcquire`. */
  readonly synchronous: boolean;
  /**
   * Optional allocation-free path of a synchronous store: admit at `now` (the limiter's clock, which the session
   * shares) and return a hold number ≥ 0, or -1 when it does not fit (then call `admit`/`predict` for the wait).
   */
  admitHold?(now: number, weight: number, caps: readonly number[]): number;
  /** Ends a hold returned by `admitHold`. */
  releaseHold?(hold: number, sent: boolean): void;
  /** Atomically checks every window and records the admission if it fits. */
  admit(request: AdmitRequest): MaybePromise<AdmitResult>;
  /** Predicted wait until `demand` weight fits under `caps` (demand may include requests queued ahead). */
  predict(demand: number, caps: readonly number[]): MaybePromise<Prediction>;
  /** Ends a hold (`sent: false` refunds it). Never rejects. */
  release(id: string, weight: number, sent: boolean): MaybePromise<void>;
  /** Blocks every admission for `ms` (server 429), for every limiter sharing the store. Never rejects. */
  block(ms: number): MaybePromise<void>;
  usage(): StoreUsage;
  status(): StoreStatus;
  /** Fires when the status (degraded or not) changes. */
  readonly onStatus: Event<StoreStatus>;
  /** Fires when another session freed budget (refund) so waiters may re-check early. */
  readonly onChange: Event<void>;
  close(): Promise<void>;
}

export interface LimiterStore {
  readonly kind: string;
  open(scope: StoreScope): StoreSession;
}

export function isLimiterStore(value: unknown): value is LimiterStore {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as LimiterStore).open === 'function' &&
    typeof (value as LimiterStore).kind === 'string'
  );
}
