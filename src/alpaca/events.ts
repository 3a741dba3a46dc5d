import type { BreakerStateChange } from '../http/breaker.js';
import type { GiveUpEvent, RetryEvent } from '../http/retry.js';
import type { LimiterEvent } from '../limit/types.js';
import type { Budget } from './pipeline.js';

/** Everything the client reports, as one discriminated union (metrics and logs subscribe to `client.onEvent`). */
export type ClientEvent =
  | {
      type: 'request';
      method: string;
      /** Route template, never a raw path. */
      route: string;
      budget: Budget;
      /** 0 when no response arrived. */
      status: number;
      /** Classification reason when the attempt failed without a response. */
      error?: string;
      attempt: number;
      durationMs: number;
      /** Time spent waiting for the rate limiter. */
      waitedMs: number;
    }
  | ({ type: 'retry' } & RetryEvent)
  | ({ type: 'give-up' } & GiveUpEvent)
  | ({ type: 'breaker' } & BreakerStateChange)
  | { type: 'limiter'; budget: Budget; event: LimiterEvent }
  | {
      type: 'order';
      action: 'submit' | 'replace' | 'cancel' | 'close';
      /** What happened to settle the order's state. */
      step: 'ambiguous' | 'reconciled-found' | 'reconciled-absent' | 'resubmit' | 'duplicate-resolved' | 'unknown';
      clientOrderId?: string;
      orderId?: string;
      reason?: string;
    };
