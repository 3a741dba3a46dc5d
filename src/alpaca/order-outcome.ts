/**
 * What one order-changing attempt tells us about the order's state. The whole point is the middle case: an answer
 * that does not say whether the server acted (reset after the request was written, a timeout, 5xx) must be
 * reconciled by looking the order up, never by blindly sending it again.
 */
import { isCorralError } from '../core/errors.js';
import { isAbortError, mayHaveBeenSent } from '../http/errors.js';
import type { TransportResponse } from '../http/transport.js';

export type AttemptOutcome =
  /** 2xx: done. */
  | { kind: 'ok'; res: TransportResponse }
  /** Not processed (429, nothing sent): send again after `delayMs`. */
  | { kind: 'not-processed'; delayMs: number; cause: unknown }
  /** May or may not have been processed: reconcile. */
  | { kind: 'ambiguous'; cause: unknown }
  /** Refused locally before sending (limiter deadline, open circuit, saturated pool): `retryAfterMs` if known. */
  | { kind: 'refused'; cause: unknown; retryAfterMs?: number }
  /** The caller aborted. */
  | { kind: 'aborted'; cause: unknown; maybeSent: boolean }
  /** A definite answer (4xx) to hand to the caller, or to interpret (422 duplicate, 404). */
  | { kind: 'rejected'; res: TransportResponse };

const AMBIGUOUS_STATUS = new Set([500, 502, 503, 504]);
const REFUSED_CODES = new Set([
  'CORRAL_RATE_LIMITED',
  'CORRAL_CIRCUIT_OPEN',
  'CORRAL_QUEUE_FULL',
  'CORRAL_SATURATED',
  'CORRAL_STORE_UNAVAILABLE',
]);

export function fromResponse(res: TransportResponse): AttemptOutcome {
  if (res.status >= 200 && res.status < 300) return { kind: 'ok', res };
  if (res.status === 429) return { kind: 'not-processed', delayMs: 0, cause: res.status };
  if (AMBIGUOUS_STATUS.has(res.status)) return { kind: 'ambiguous', cause: res.status };
  return { kind: 'rejected', res };
}

export function fromError(err: unknown, signal?: AbortSignal): AttemptOutcome {
  const sent = mayHaveBeenSent(err);
  if (signal?.aborted || isAbortError(err)) return { kind: 'aborted', cause: err, maybeSent: sent };
  if (isCorralError(err) && REFUSED_CODES.has(err.code)) {
    const r = (err as { retryAfterMs?: unknown }).retryAfterMs;
    return typeof r === 'number' ? { kind: 'refused', cause: err, retryAfterMs: r } : { kind: 'refused', cause: err };
  }
  if (
    isCorralError(err) &&
    (err.code === 'CORRAL_NETWORK' || err.code === 'CORRAL_TIMEOUT' || err.code === 'CORRAL_INVALID_RESPONSE')
  )
    return sent ? { kind: 'ambiguous', cause: err } : { kind: 'not-processed', delayMs: 0, cause: err };
  // Anything else (a bug, an unexpected error) is treated as possibly sent: never resend on a guess.
  return { kind: 'ambiguous', cause: err };
}

/** Alpaca's answer to a reused client_order_id. */
export function isDuplicateClientOrderId(res: TransportResponse): boolean {
  if (res.status !== 422) return false;
  return /client_order_id must be unique/i.test(res.text());
}
