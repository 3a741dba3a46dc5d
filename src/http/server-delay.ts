/**
 * How long the server asked us to wait (Retry-After, X-RateLimit-Reset), measured against its own Date header so
 * clock skew cancels out. Parsing is src/core/headers.ts, shared with the limiter.
 */
import { type HeaderSource, headerValue, parseRateLimitHeaders } from '../core/headers.js';

export type HeaderBag = HeaderSource;
export { headerValue };

/** Longest wait we will believe (a day); anything larger is treated as garbage, not obeyed. */
const MAX_SERVER_DELAY_MS = 86_400_000;

function clampDelay(ms: number): number | undefined {
  if (!Number.isFinite(ms) || ms > MAX_SERVER_DELAY_MS) return undefined;
  return Math.max(0, ms);
}

/** `Retry-After` in ms (>= 0), or undefined when absent or unparsable. */
export function retryAfterMs(headers: HeaderBag | undefined, wallNowMs: number): number | undefined {
  const h = parseRateLimitHeaders(headers);
  if (!h.retryAfter) return undefined;
  if (h.retryAfter.kind === 'delay') return clampDelay(h.retryAfter.ms);
  return clampDelay(h.retryAfter.epochMs - (h.dateEpochMs ?? wallNowMs));
}

/** Time until `X-RateLimit-Reset` (epoch seconds) in ms (>= 0), or undefined. */
export function rateLimitResetMs(headers: HeaderBag | undefined, wallNowMs: number): number | undefined {
  const h = parseRateLimitHeaders(headers);
  if (h.resetEpochS === undefined) return undefined;
  return clampDelay(h.resetEpochS * 1000 - (h.dateEpochMs ?? wallNowMs));
}

/**
 * The minimum wait before retrying a response with this status: Retry-After for any status, and on 429 the
 * larger of Retry-After and X-RateLimit-Reset. Undefined when the server gave no hint.
 */
export function serverDelayMs(status: number, headers: HeaderBag | undefined, wallNowMs: number): number | undefined {
  const ra = retryAfterMs(headers, wallNowMs);
  const reset = status === 429 ? rateLimitResetMs(headers, wallNowMs) : undefined;
  if (ra === undefined) return reset;
  if (reset === undefined) return ra;
  return Math.max(ra, reset);
}
