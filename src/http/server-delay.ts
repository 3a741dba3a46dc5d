/**
 * Reads the wait a server asks for: `Retry-After` (delta-seconds or HTTP-date) and, on 429, `X-RateLimit-Reset`
 * (UNIX epoch seconds, Alpaca's documented header). Absolute times are measured against the response's own `Date`
 * header when present, which cancels clock skew between us and the server.
 */

export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Case-insensitive header lookup; the first value when repeated. */
export function headerValue(headers: HeaderBag | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const lower = name.toLowerCase();
  let v = headers[lower];
  if (v === undefined) {
    for (const [k, val] of Object.entries(headers)) {
      if (k.toLowerCase() === lower) {
        v = val;
        break;
      }
    }
  }
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : v[0];
}

/** Longest wait we will believe (a day); anything larger is treated as garbage, not obeyed. */
const MAX_SERVER_DELAY_MS = 86_400_000;

function clampDelay(ms: number): number | undefined {
  if (!Number.isFinite(ms) || ms > MAX_SERVER_DELAY_MS) return undefined;
  return Math.max(0, ms);
}

/** The server's notion of "now": its Date header, else our wall clock. */
function referenceWallMs(headers: HeaderBag | undefined, wallNowMs: number): number {
  const date = headerValue(headers, 'date');
  if (date) {
    const t = Date.parse(date);
    if (Number.isFinite(t)) return t;
  }
  return wallNowMs;
}

/** `Retry-After` in ms (>= 0), or undefined when absent or unparsable. */
export function retryAfterMs(headers: HeaderBag | undefined, wallNowMs: number): number | undefined {
  const raw = headerValue(headers, 'retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return clampDelay(Number(raw) * 1000);
  // An HTTP-date always names a day or month; this keeps "-5" and the like from parsing as a year.
  if (!/[a-z]/i.test(raw)) return undefined;
  const at = Date.parse(raw);
  if (!Number.isFinite(at)) return undefined;
  return clampDelay(at - referenceWallMs(headers, wallNowMs));
}

/** Time until `X-RateLimit-Reset` (epoch seconds) in ms (>= 0), or undefined. */
export function rateLimitResetMs(headers: HeaderBag | undefined, wallNowMs: number): number | undefined {
  const raw = headerValue(headers, 'x-ratelimit-reset')?.trim();
  if (!raw || !/^\d+(\.\d+)?$/.test(raw)) return undefined;
  return clampDelay(Number(raw) * 1000 - referenceWallMs(headers, wallNowMs));
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
