import { CorralError } from '../core/errors.js';
import type { Lane } from './types.js';

/**
 * The request cannot be admitted within its deadline. `retryAfterMs` is the predicted wait; `source` says whether a
 * server block or server view (`server`) or our own window accounting (`local`) is the binding constraint.
 */
export class RateLimitedError extends CorralError {
  readonly code = 'CORRAL_RATE_LIMITED';
  constructor(
    readonly retryAfterMs: number,
    readonly source: 'local' | 'server',
    readonly lane?: Lane,
  ) {
    super(
      `rate limited (${source}): next admission in ${Math.ceil(retryAfterMs)} ms${lane ? ` for lane ${lane}` : ''}`,
    );
  }
}

/** The lane already holds `maxQueue` waiting requests. */
export class QueueFullError extends CorralError {
  readonly code = 'CORRAL_QUEUE_FULL';
  constructor(
    readonly lane: Lane,
    readonly maxQueue: number,
  ) {
    super(`the ${lane} lane already holds ${maxQueue} waiting requests`);
  }
}

/** The shared store is unreachable and the limiter is configured to fail closed. */
export class StoreUnavailableError extends CorralError {
  readonly code = 'CORRAL_STORE_UNAVAILABLE';
}
