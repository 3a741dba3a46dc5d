/**
 * What an attempt's outcome means for the caller, independent of any policy:
 * - `success`: 2xx;
 * - `retryable`: transient and provably NOT processed (429, connection refused, DNS, connect timeout): safe to
 *   resend whatever the method;
 * - `ambiguous`: transient but MAY have been processed (timeout or reset after the request was written, 500/502/503/
 *   504): resend only idempotent requests, reconcile the others (e.g. look the order up by client_order_id);
 * - `fatal`: do not retry (other 4xx, aborts, refused redirects, programmer errors, local fail-fast rejections).
 */
import {
  isAbortError,
  isAlpacaApiError,
  isCircuitOpenError,
  isNetworkError,
  isRedirectRefusedError,
  isResponseTooLargeError,
  isTimeoutError,
} from './errors.js';
import { type HeaderBag, serverDelayMs } from './server-delay.js';

/** One attempt's result: an HTTP response, a thrown error, or a plain value that counts as success. */
export type Outcome =
  | { type: 'response'; status: number; headers?: HeaderBag }
  | { type: 'error'; error: unknown }
  | { type: 'success' };

export type OutcomeKind = 'success' | 'retryable' | 'ambiguous' | 'fatal';

/** A small closed set, safe as a metrics label. */
export type OutcomeReason =
  | 'ok'
  | 'rate-limited'
  | 'server-error'
  | 'bad-gateway'
  | 'service-unavailable'
  | 'gateway-timeout'
  | 'client-error'
  | 'unexpected-status'
  | 'network'
  | 'timeout'
  | 'aborted'
  | 'circuit-open'
  | 'saturated'
  | 'redirect'
  | 'too-large'
  | 'invalid-response'
  | 'error';

export interface Classification {
  kind: OutcomeKind;
  reason: OutcomeReason;
  /** HTTP status when there was a response (or an AlpacaApiError). */
  status?: number;
  /** Minimum wait the server asked for (Retry-After, or X-RateLimit-Reset on 429). */
  retryAfterMs?: number;
}

const AMBIGUOUS_STATUS: Readonly<Record<number, OutcomeReason>> = {
  500: 'server-error',
  502: 'bad-gateway',
  503: 'service-unavailable',
  504: 'gateway-timeout',
};

function byStatus(status: number, retryAfterMs: number | undefined): Classification {
  const base = retryAfterMs === undefined ? { status } : { status, retryAfterMs };
  if (status >= 200 && status < 300) return { kind: 'success', reason: 'ok', status };
  if (status === 429) return { kind: 'retryable', reason: 'rate-limited', ...base };
  const ambiguous = AMBIGUOUS_STATUS[status];
  if (ambiguous) return { kind: 'ambiguous', reason: ambiguous, ...base };
  if (status >= 400 && status < 500) return { kind: 'fatal', reason: 'client-error', status };
  return { kind: 'fatal', reason: 'unexpected-status', status };
}

function codeOf(e: unknown): unknown {
  return typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
}

/**
 * Classifies one attempt. `wallNowMs` interprets absolute server times (Retry-After dates, X-RateLimit-Reset);
 * `signal` marks any failure after an abort as `aborted`.
 */
export function classifyOutcome(outcome: Outcome, wallNowMs: number, signal?: AbortSignal): Classification {
  if (outcome.type === 'success') return { kind: 'success', reason: 'ok' };
  if (outcome.type === 'response') {
    return byStatus(outcome.status, serverDelayMs(outcome.status, outcome.headers, wallNowMs));
  }
  const e = outcome.error;
  if (signal?.aborted || isAbortError(e)) return { kind: 'fatal', reason: 'aborted' };
  if (isAlpacaApiError(e)) return byStatus(e.status, e.retryAfterMs);
  if (isTimeoutError(e)) return { kind: e.maybeSent ? 'ambiguous' : 'retryable', reason: 'timeout' };
  if (isNetworkError(e)) return { kind: e.maybeSent ? 'ambiguous' : 'retryable', reason: 'network' };
  if (isCircuitOpenError(e)) return { kind: 'fatal', reason: 'circuit-open', retryAfterMs: e.retryAfterMs };
  if (codeOf(e) === 'CORRAL_TRANSPORT_SATURATED') return { kind: 'fatal', reason: 'saturated' };
  if (isRedirectRefusedError(e)) return { kind: 'fatal', reason: 'redirect', status: e.status };
  if (isResponseTooLargeError(e)) return { kind: 'fatal', reason: 'too-large', status: e.status };
  if (codeOf(e) === 'CORRAL_INVALID_RESPONSE') return { kind: 'fatal', reason: 'invalid-response' };
  return { kind: 'fatal', reason: 'error' };
}

export type BreakerVerdict = 'success' | 'failure' | 'ignore';

const BREAKER_FAILURES: ReadonlySet<OutcomeReason> = new Set<OutcomeReason>([
  'server-error',
  'bad-gateway',
  'service-unavailable',
  'gateway-timeout',
  'network',
  'timeout',
  'invalid-response',
]);

/**
 * How an attempt counts for a circuit breaker. Only signs of an unhealthy server are failures; 429 is backpressure
 * for the rate limiter, other 4xx are the caller's mistakes and aborts say nothing about the server.
 */
export function breakerVerdict(c: Classification): BreakerVerdict {
  if (c.kind === 'success') return 'success';
  return BREAKER_FAILURES.has(c.reason) ? 'failure' : 'ignore';
}
