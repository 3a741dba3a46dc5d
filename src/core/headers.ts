/**
 * Reading response headers, shared by the limiter (server feedback) and the HTTP layer (retry delays). Names are
 * matched case-insensitively (the spec says X-RateLimit-*, the forum X-Ratelimit-*, the Broker docs lower case).
 * Bad values are ignored, never thrown.
 */

/** Response headers as fetch, undici or node:http give them. */
export type HeaderSource =
  | Headers
  | Readonly<Record<string, string | readonly string[] | string[] | number | undefined>>;

/** `Retry-After` either as a delay or as an absolute (server) time. */
export type RetryAfter = { kind: 'delay'; ms: number } | { kind: 'date'; epochMs: number };

export interface RateLimitHeaders {
  /** X-RateLimit-Limit: requests per minute. */
  limit?: number;
  /** X-RateLimit-Remaining after the observed request. */
  remaining?: number;
  /** X-RateLimit-Reset: epoch SECONDS when the remaining count next changes. */
  resetEpochS?: number;
  retryAfter?: RetryAfter;
  /** The response `Date` header, epoch ms (second resolution). */
  dateEpochMs?: number;
}

/** Longest Retry-After we believe (a larger value is treated as garbage). */
const MAX_RETRY_AFTER_MS = 86_400_000;
/** Plausible epoch-second bounds (2001 .. 5138); anything else is not an epoch in seconds. */
const MIN_EPOCH_S = 1e9;
const MAX_EPOCH_S = 1e11;
const MAX_COUNT = 1e9;

/** IMF-fixdate, RFC 850 or asctime (RFC 9110 §5.6.7); `Date.parse` alone accepts far too much. */
const HTTP_DATE =
  /^(?:[A-Za-z]{3,9},?\s+)?(?:\d{1,2}[\s-][A-Za-z]{3}[\s-]\d{2,4}|[A-Za-z]{3}\s+\d{1,2})\s+\d{2}:\d{2}:\d{2}(?:\s+\d{4})?(?:\s+(?:GMT|UTC))?$/;

/** Parses an HTTP date to epoch ms, or undefined. */
export function parseHttpDate(text: string): number | undefined {
  const t = text.trim();
  if (!HTTP_DATE.test(t)) return undefined;
  // HTTP dates are always GMT, also when the zone is left out (asctime).
  const ms = Date.parse(/GMT|UTC/.test(t) ? t : `${t} GMT`);
  return Number.isFinite(ms) ? ms : undefined;
}

function isHeaders(h: HeaderSource): h is Headers {
  return typeof (h as Headers).get === 'function' && typeof (h as Headers).has === 'function';
}

/** The first value of header `name` (case-insensitive), or undefined. */
export function headerValue(headers: HeaderSource | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (isHeaders(headers)) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    const v = headers[key];
    if (v === undefined) continue;
    if (Array.isArray(v)) return (v as readonly string[])[0];
    return String(v);
  }
  return undefined;
}

/** A non-negative integer, taking the first element of a comma-joined list. */
function parseCount(value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  const first = value.split(',')[0]!.trim();
  if (!/^\d{1,15}$/.test(first)) return undefined;
  const n = Number(first);
  return n <= max ? n : undefined;
}

/** Parses `Retry-After`: delta-seconds (`120`, also fractional) or an HTTP date. Undefined when unusable. */
export function parseRetryAfter(value: string | number | undefined): RetryAfter | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0 || value * 1000 > MAX_RETRY_AFTER_MS) return undefined;
    return { kind: 'delay', ms: value * 1000 };
  }
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return parseRetryAfter(Number(text));
  const epochMs = parseHttpDate(text);
  return epochMs === undefined ? undefined : { kind: 'date', epochMs };
}

/** Parses the X-RateLimit-*, Retry-After and Date headers of a response. Never throws. */
export function parseRateLimitHeaders(headers: HeaderSource | undefined): RateLimitHeaders {
  const out: RateLimitHeaders = {};
  const limit = parseCount(headerValue(headers, 'x-ratelimit-limit'), MAX_COUNT);
  if (limit !== undefined && limit >= 1) out.limit = limit;
  const remaining = parseCount(headerValue(headers, 'x-ratelimit-remaining'), MAX_COUNT);
  if (remaining !== undefined) out.remaining = remaining;
  const reset = parseCount(headerValue(headers, 'x-ratelimit-reset'), MAX_EPOCH_S);
  if (reset !== undefined && reset >= MIN_EPOCH_S) out.resetEpochS = reset;
  const retryAfter = parseRetryAfter(headerValue(headers, 'retry-after'));
  if (retryAfter) out.retryAfter = retryAfter;
  const date = headerValue(headers, 'date');
  const dateMs = date === undefined ? undefined : parseHttpDate(date);
  if (dateMs !== undefined) out.dateEpochMs = dateMs;
  return out;
}
